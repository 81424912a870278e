// Runs the real repo-add (pacman 6.0.2) and reads back the entries it wrote,
// so tests can compare our desc/files output with the reference byte for byte.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./exec.js";

/** One package entry of a sync database, as raw bytes. */
export interface RepoAddEntry {
  /** `desc` from the `.db` archive. */
  desc: Buffer;
  /** `desc` from the `.files` archive (repo-add copies it). */
  filesDesc: Buffer;
  /** `files` from the `.files` archive. */
  files: Buffer;
}

/**
 * Adds `packages` to a new database with `repo-add` and returns its entries
 * keyed by directory name (`<pkgname>-<pkgver>`). A `<package>.sig` file next
 * to a package is embedded as `%PGPSIG%` (repo-add 6.0.2 always does that).
 * Runs in a UTF-8 locale, as on Arch: bsdtar's file list escaping depends on it.
 */
export async function repoAdd(packages: readonly string[]): Promise<Map<string, RepoAddEntry>> {
  const dir = await mkdtemp(join(tmpdir(), "vieter-repo-add-"));
  try {
    const db = join(dir, "test.db.tar.gz");
    await run("repo-add", ["--quiet", "--nocolor", db, ...packages], { env: { LC_ALL: "C.UTF-8" } });
    const dbDir = join(dir, "db");
    const filesDir = join(dir, "files");
    await mkdir(dbDir);
    await mkdir(filesDir);
    await run("bsdtar", ["-xf", db, "-C", dbDir]);
    await run("bsdtar", ["-xf", join(dir, "test.files.tar.gz"), "-C", filesDir]);
    const entries = new Map<string, RepoAddEntry>();
    for (const name of await readdir(dbDir)) {
      entries.set(name, {
        desc: await readFile(join(dbDir, name, "desc")),
        filesDesc: await readFile(join(filesDir, name, "desc")),
        files: await readFile(join(filesDir, name, "files")),
      });
    }
    return entries;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
