/**
 * Publishing straight into an in-process server's Repository: the
 * server-side part of a publish (parse, pool, commit, view update) timed
 * without HTTP, and a fast way to fill an arch-repo with thousands of
 * packages.
 */
import { rm, writeFile } from "node:fs/promises";
import type { Repository } from "../../../server/repo/repository.js";
import type { BenchPackage } from "./packages.js";
import { msSince } from "./report.js";

/**
 * Stages `pkg` in the pool's tmp folder (as the upload route does), then
 * times `repository.publish` alone; returns milliseconds.
 */
export async function publishInProcess(repository: Repository, repo: string, pkg: BenchPackage): Promise<number> {
  const path = repository.tempPath(".upload");
  await writeFile(path, pkg.data);
  try {
    const start = process.hrtime.bigint();
    await repository.publish(repo, { path });
    return msSince(start);
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Publishes `packages` with `concurrency` publishes in flight (so parsing
 * overlaps the serialised commits, as concurrent uploads would); returns
 * the wall-clock milliseconds.
 */
export async function fillInProcess(
  repository: Repository,
  repo: string,
  packages: readonly BenchPackage[],
  concurrency = 4,
): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < packages.length) await publishInProcess(repository, repo, packages[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return msSince(start);
}
