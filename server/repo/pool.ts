/**
 * Package files on disk, stored once by SHA-256 (an `any` package in three
 * arch-repos is one file). Uploads land in `tmp/` and are adopted into the
 * pool with write → fsync → rename → fsync(dir), so a file the database
 * names is always complete. Anything else found at start-up is swept.
 * Publishes split adopt: each upload's fsync runs in its own request, and a
 * batch's renames share one directory fsync.
 */
import { randomUUID } from "node:crypto";
import { close, fsync, open as openFd } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { promisify } from "node:util";
import { join } from "node:path";
import { CoalescedTask } from "./coalesced-task.js";

/** The pool's folders and operations. */
export class PackagePool {
  readonly tmpDir: string;
  readonly poolDir: string;
  /** Concurrent callers share one directory fsync (the next one after their rename). */
  private readonly dirSync: CoalescedTask;
  /** The pool folder, open from the first directory fsync until close (one syscall per fsync, not three). */
  private dirFd: number | undefined;

  constructor(pkgDir: string) {
    this.tmpDir = join(pkgDir, "tmp");
    this.poolDir = join(pkgDir, "pool");
    // CoalescedTask runs one at a time, so the descriptor is opened once.
    this.dirSync = new CoalescedTask(async () => {
      this.dirFd ??= await openAsync(this.poolDir, "r");
      await fsyncAsync(this.dirFd);
    });
  }

  /** Closes the pool folder's descriptor (after the last publish). */
  async close(): Promise<void> {
    const fd = this.dirFd;
    this.dirFd = undefined;
    if (fd !== undefined) await closeAsync(fd);
  }

  /** Creates the folders. */
  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.poolDir, { recursive: true });
  }

  /** A fresh path in tmp/ for an upload. */
  tempPath(suffix = ""): string {
    return join(this.tmpDir, `${randomUUID()}${suffix}`);
  }

  /** Where the file with this digest (plus `.sig` for signatures) lives. */
  pathOf(sha256: string, kind: "pkg" | "sig" = "pkg"): string {
    return join(this.poolDir, kind === "sig" ? `${sha256}.sig` : sha256);
  }

  /**
   * Makes a finished temp file durable and moves it into the pool. When the
   * pool already holds identical bytes the temp file is just dropped.
   */
  async adopt(tempPath: string, sha256: string, kind: "pkg" | "sig" = "pkg"): Promise<string> {
    await fsyncPath(tempPath);
    if (await this.place(tempPath, sha256, kind)) await this.syncDir();
    return this.pathOf(sha256, kind);
  }

  /** Makes a temp file's bytes durable (the first half of adopt; needs no lock). */
  syncFile(tempPath: string): Promise<void> {
    return fsyncPath(tempPath);
  }

  /**
   * Renames a synced temp file into the pool (then call syncDir). A package
   * file simply replaces one with the same digest (same bytes, atomically; a
   * download in progress keeps the old inode); a signature already there is
   * kept and the temp file dropped.
   */
  async place(tempPath: string, sha256: string, kind: "pkg" | "sig" = "pkg"): Promise<boolean> {
    const target = this.pathOf(sha256, kind);
    if (kind === "sig" && (await exists(target))) {
      await unlink(tempPath);
      return false;
    }
    await rename(tempPath, target);
    return true;
  }

  /** Makes renames into the pool durable. */
  syncDir(): Promise<void> {
    return this.dirSync.run();
  }

  /** Removes a pool file (missing is fine). */
  async remove(sha256: string, kind: "pkg" | "sig" = "pkg"): Promise<void> {
    await rm(this.pathOf(sha256, kind), { force: true });
  }

  /**
   * Start-up clean-up: deletes every temp file and every pool file whose
   * digest is not in `referenced` (left by a crash between adopt and commit,
   * or between commit and unlink). Returns how many files were removed.
   */
  async sweep(referenced: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tmpDir)) {
      await rm(join(this.tmpDir, name), { force: true, recursive: true });
      removed++;
    }
    for (const name of await readdir(this.poolDir)) {
      const sha = name.endsWith(".sig") ? name.slice(0, -4) : name;
      if (!referenced.has(name) && !referenced.has(sha)) {
        await rm(join(this.poolDir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const openAsync = promisify(openFd);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
