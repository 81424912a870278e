// Hand-made archives for tests that need what makepkg never produces:
// missing or broken .PKGINFO, odd tar formats, hostile names. bsdtar (the
// tool makepkg itself uses) writes them.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { run } from "./exec.js";
import { tempDir } from "./temp-dirs.js";

/** Paths ending in "/" are directories; other values are file contents. */
export type Tree = Readonly<Record<string, string | Uint8Array>>;

/** How {@link tarTree} writes the archive. */
export interface TarOptions {
  /** bsdtar `--format` (default `pax`, as makepkg). */
  format?: "pax" | "gnutar" | "ustar";
  compression?: "zstd" | "xz" | "gzip" | "bzip2" | "none";
  /** Entries to archive, in order (default: every top-level name of the tree, sorted). */
  members?: readonly string[];
}

/** A minimal valid `.PKGINFO`; spread over it to change keys. */
export const MINIMAL_PKGINFO = "pkgname = demo\npkgver = 1.0-1\narch = any\nsize = 0\nbuilddate = 1\n";

/** Writes `tree` under `root`; names are raw (any bytes but "/" and NUL allowed). */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [name, content] of Object.entries(tree)) {
    const path = join(root, name);
    if (name.endsWith("/")) {
      await mkdir(path, { recursive: true });
    } else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
  }
}

/** Archives `tree` with bsdtar and returns the archive's path. */
export async function tarTree(tree: Tree, options: TarOptions = {}): Promise<string> {
  const dir = await tempDir();
  const root = join(dir, "root");
  await mkdir(root);
  await writeTree(root, tree);
  const members = options.members ?? [...new Set(Object.keys(tree).map((name) => name.split("/")[0]!))].sort();
  const flag = { zstd: ["--zstd"], xz: ["--xz"], gzip: ["-z"], bzip2: ["-j"], none: [] }[options.compression ?? "none"];
  const out = join(dir, "package.pkg.tar");
  await run("bsdtar", ["-c", `--format=${options.format ?? "pax"}`, ...flag, "-f", out, "-C", root, ...members], {
    env: { LC_ALL: "C.UTF-8" },
  });
  return out;
}

/** repo-add's file list for an archive: `bsdtar --exclude='^.*' -tf … | LC_ALL=C sort -u`. */
export async function bsdtarFileList(archive: string): Promise<string[]> {
  const listed = await run("bsdtar", ["--exclude=^.*", "-tf", archive], { env: { LC_ALL: "C.UTF-8" } });
  const sorted = await run("sort", ["-u"], { env: { LC_ALL: "C" }, input: listed });
  return sorted.toString("utf8").split("\n").slice(0, -1);
}
