/**
 * A pacman database archive is a gzip-compressed tar. gzip members may be
 * concatenated (libarchive and pacman read multi-member gzip), so each
 * package's entries are compressed once, at publish, into a member of their
 * own; an archive is then the members of its packages followed by the
 * end-of-archive member — assembly, never recompression.
 */
import { gzipSync } from "node:zlib";
import { Header, Pax } from "tar";

const BLOCK = 512;

/** The tar end-of-archive marker (two zero blocks), as a gzip member. */
export const END_MEMBER: Buffer = gzipSync(Buffer.alloc(2 * BLOCK));

/** A package's members for the `.db` and `.files` archives. */
export interface PackageMembers {
  readonly db: Buffer;
  readonly files: Buffer;
}

/** One regular-file tar entry: header (with a pax header for long paths), data, padding. */
export function tarEntry(path: string, data: Buffer, mtime: Date): Buffer {
  const fields = {
    path,
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: data.length,
    mtime,
    type: "File" as const,
    uname: "root",
    gname: "root",
  };
  const header = new Header(fields);
  header.encode();
  const parts: Buffer[] = [];
  if (header.needPax) parts.push(new Pax(fields).encode());
  parts.push(header.block!, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  return Buffer.concat(parts);
}

/**
 * The members for one package: `<name>-<version>/desc` in `.db`, and `desc`
 * then `files` in `.files`, as repo-add lays them out.
 */
export function packageMembers(entryDir: string, desc: string, files: string, mtime: Date): PackageMembers {
  const descEntry = tarEntry(`${entryDir}/desc`, Buffer.from(desc, "utf8"), mtime);
  const filesEntry = tarEntry(`${entryDir}/files`, Buffer.from(files, "utf8"), mtime);
  return {
    db: gzipSync(descEntry, { level: 6 }),
    files: gzipSync(Buffer.concat([descEntry, filesEntry]), { level: 6 }),
  };
}

/** Concatenates members (in order) and the end marker into an archive. */
export function assembleArchive(members: readonly Buffer[]): Buffer {
  return Buffer.concat([...members, END_MEMBER]);
}
