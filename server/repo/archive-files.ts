/**
 * Assembled database archives as files, so the routes can sendfile them
 * (server/net/sendfile.ts) as they do package files. A cache, not state:
 * each archive version is written on its first request, to a temp name and
 * renamed, so no reader sees half a file; requests meanwhile are served from
 * memory. Names never repeat within a run (a counter; the folder is emptied
 * at start), so a file never changes under a transfer, and the previous
 * version is unlinked once the next is in place (a transfer in flight keeps
 * its open file). No fsync: after a crash the folder is emptied anyway.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { ArchiveSnapshot } from "./arch-repo-view.js";

interface Entry {
  readonly snapshot: ArchiveSnapshot;
  path?: string;
}

/** The newest archive files of every arch-repo, in one folder. */
export class ArchiveFiles {
  private readonly current = new Map<string, Entry>();
  private written = 0;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Empties the folder (files of an earlier run) and creates it. */
  async init(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  /**
   * The file holding `snapshot`'s bytes once it is written, else undefined
   * (and its writing starts). `name` says which archive of which arch-repo.
   */
  pathOf(name: string, snapshot: ArchiveSnapshot): string | undefined {
    const entry = this.current.get(name);
    if (entry?.snapshot === snapshot) return entry.path;
    const next: Entry = { snapshot };
    this.current.set(name, next);
    void this.write(name, next, entry?.path);
    return undefined;
  }

  /** Drops the files of the arch-repos whose names start with `prefix` (after a deletion). */
  async forget(prefix: string): Promise<void> {
    for (const [name, entry] of [...this.current]) {
      if (!name.startsWith(prefix)) continue;
      this.current.delete(name);
      if (entry.path) await rm(entry.path, { force: true });
    }
  }

  private async write(name: string, entry: Entry, previous: string | undefined): Promise<void> {
    const path = join(this.dir, `${name.replaceAll("/", ".")}.${++this.written}.tar.gz`);
    try {
      await writeFile(`${path}.tmp`, entry.snapshot.data);
      await rename(`${path}.tmp`, path);
    } catch (err) {
      // Serving from memory still works; the next version tries again.
      this.logger.warn({ err, path }, "could not write a database archive file");
      await rm(`${path}.tmp`, { force: true });
      return;
    }
    // A newer version may have been asked for while this one was written.
    if (this.current.get(name) === entry) entry.path = path;
    else await rm(path, { force: true });
    if (previous) await rm(previous, { force: true });
  }
}
