/**
 * Times Debian's `repo-add` (pacman 6.0.2) adding one package to a database
 * that already holds N entries. Building such a database with repo-add itself
 * would take hours at 10,000, so it starts from our server's `.db`/`.files`
 * archives, whose entries are byte-for-byte repo-add's (see
 * server/pkg/repo-add-parity.test.ts).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BenchPackage } from "./packages.js";
import { msSince } from "./report.js";

const run = promisify(execFile);

/** The database archives to start from. */
export interface DbSnapshot {
  readonly entries: number;
  readonly db: Buffer;
  readonly files: Buffer;
}

/** Per-add times of one database size; `skipped` says why fewer adds ran than asked. */
export interface RepoAddTiming {
  readonly entries: number;
  readonly samplesMs: number[];
  readonly skipped?: string;
}

/**
 * Adds `packages` one at a time (one `repo-add` run each) to a copy of
 * `snapshot`; stops early once `budgetMs` is spent, after at least one add.
 */
export async function timeRepoAdd(
  snapshot: DbSnapshot,
  packages: readonly BenchPackage[],
  budgetMs: number,
): Promise<RepoAddTiming> {
  const dir = await mkdtemp(join(tmpdir(), "vieter-bench-repo-add-"));
  try {
    const db = join(dir, "bench.db.tar.gz");
    await writeFile(db, snapshot.db);
    await writeFile(join(dir, "bench.files.tar.gz"), snapshot.files);
    const paths: string[] = [];
    for (const pkg of packages) {
      const path = join(dir, pkg.filename);
      await writeFile(path, pkg.data);
      paths.push(path);
    }
    const samplesMs: number[] = [];
    const start = process.hrtime.bigint();
    for (const path of paths) {
      if (samplesMs.length > 0 && msSince(start) > budgetMs) break;
      const t = process.hrtime.bigint();
      await run("repo-add", ["--quiet", "--nocolor", db, path], {
        env: { ...process.env, LC_ALL: "C.UTF-8" },
        maxBuffer: 1 << 24,
      });
      samplesMs.push(msSince(t));
    }
    const skipped =
      samplesMs.length < paths.length
        ? `${samplesMs.length} of ${paths.length} adds ran within the ${Math.round(budgetMs / 1000)} s budget`
        : undefined;
    return { entries: snapshot.entries, samplesMs, ...(skipped ? { skipped } : {}) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
