/**
 * What a package reader keeps from the tar entries, whichever way the bytes
 * arrive (streamed from a file or decoded from memory): the first `.PKGINFO`
 * and the `files` list, within {@link ArchiveLimits}.
 */
import type { ReadEntry } from "tar";
import { ResourceExhaustedError } from "../../lib/errors.js";
import { InvalidPackageError } from "./errors.js";
import { escapeEntryPath, isListedEntry, sortUnique, stripDotSlash } from "./file-list.js";
import { decodePkginfo } from "./pkginfo.js";

/** Caps on what a hostile archive can make the reader hold in memory. */
export interface ArchiveLimits {
  /** Largest `.PKGINFO` in bytes (real ones are a few KiB). */
  maxPkginfoBytes: number;
  /** Most archive entries (the largest Arch packages have a few hundred thousand). */
  maxEntries: number;
  /** Most bytes of listed file names in total. */
  maxFileListBytes: number;
}

/** The limits used when the caller gives none. */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  maxPkginfoBytes: 1024 * 1024,
  maxEntries: 2_000_000,
  maxFileListBytes: 256 * 1024 * 1024,
};

const PKGINFO_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);

/** Collects `.PKGINFO` and the file list from entries handed to {@link onEntry}. */
export class PackageEntries {
  private readonly max: ArchiveLimits;
  private pkginfo: Buffer | undefined;
  private sawPkginfo = false;
  private readonly files: string[] = [];
  private entries = 0;
  private listedBytes = 0;

  constructor(limits: Partial<ArchiveLimits> = {}) {
    this.max = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  }

  /** A tar entry handler (see readTarEntries); throws past the limits or for a bad `.PKGINFO`. */
  readonly onEntry = (entry: ReadEntry): void => {
    const max = this.max;
    if (++this.entries > max.maxEntries) {
      throw new ResourceExhaustedError(`package has more than ${max.maxEntries} entries`);
    }
    if (isListedEntry(entry.path)) {
      const listed = escapeEntryPath(entry.path);
      this.listedBytes += Buffer.byteLength(listed) + 1;
      if (this.listedBytes > max.maxFileListBytes) {
        throw new ResourceExhaustedError(`package file list is larger than ${max.maxFileListBytes} bytes`);
      }
      this.files.push(listed);
    }
    // Like `bsdtar -xOq … .PKGINFO`, only the first entry of that name counts.
    if (this.sawPkginfo || !isPkginfoPath(entry.path)) return void entry.resume();
    this.sawPkginfo = true;
    if (!PKGINFO_TYPES.has(entry.type)) throw missingPkginfo(`.PKGINFO is a ${entry.type}, not a regular file`);
    if (entry.size > max.maxPkginfoBytes) {
      throw new InvalidPackageError("invalid_pkginfo", `.PKGINFO is larger than ${max.maxPkginfoBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    entry.on("data", (chunk: Buffer) => chunks.push(chunk));
    entry.on("end", () => (this.pkginfo = Buffer.concat(chunks)));
  };

  /** The `.PKGINFO` text and the sorted file list, once the archive has ended. */
  result(): { pkginfo: string; files: string[] } {
    if (this.pkginfo === undefined) throw missingPkginfo("archive has no .PKGINFO; is it a pacman package?");
    return { pkginfo: decodePkginfo(this.pkginfo), files: sortUnique(this.files) };
  }
}

/** `.PKGINFO` as bsdtar matches it: after any leading `./`, possibly as a directory prefix. */
function isPkginfoPath(path: string): boolean {
  const name = stripDotSlash(path);
  return name === ".PKGINFO" || name.startsWith(".PKGINFO/");
}

function missingPkginfo(message: string): InvalidPackageError {
  return new InvalidPackageError("missing_pkginfo", message);
}
