/**
 * Where a log's content lives: one file per log, named by job id, directly
 * in `<data_dir>/logs/` (no folder per log, so the file count stays at one
 * per log). `<job>.log` while the job runs and until it is compressed;
 * `<job>.log.gz` after; `<job>.log.gz.tmp` only while compressing.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";

/** The files of one log. */
export interface LogPaths {
  readonly plain: string;
  readonly gzip: string;
  readonly temp: string;
}

/** The folder holding every log. */
export function logsDir(dataDir: string): string {
  return join(dataDir, "logs");
}

/** The files of the log of job `jobId`. */
export function logPaths(dir: string, jobId: number): LogPaths {
  const plain = join(dir, `${jobId}.log`);
  return { plain, gzip: `${plain}.gz`, temp: `${plain}.gz.tmp` };
}

/**
 * Removes every file of a log. A file that is already gone is fine (a row
 * whose file vanished must stay removable); any other error is thrown.
 */
export async function removeLogFiles(paths: LogPaths): Promise<void> {
  await rm(paths.temp, { force: true });
  await rm(paths.gzip, { force: true });
  await rm(paths.plain, { force: true });
}
