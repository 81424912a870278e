/**
 * Removing logs, row and file together. A file already gone does not block
 * removal (Vieter could never remove such a row); a log still being written
 * is not removed.
 */
import { FailedPreconditionError } from "../../lib/errors.js";
import { BuildLogEntity } from "../store/entities/build-log.js";
import { removeLogFiles } from "./paths.js";
import { loadLogRow } from "./rows.js";
import { type LogsState, pathsOf } from "./state.js";

const BATCH = 100;

/** Removes log `id`; NotFound if unknown, FailedPrecondition while its job still writes it. */
export async function deleteLog(s: LogsState, id: number): Promise<void> {
  const em = s.store.em.fork();
  const row = await loadLogRow(em, id);
  if (s.writers.has(row.jobId)) {
    throw new FailedPreconditionError(`log ${id} is still being written (job ${row.jobId}); cancel the job first`);
  }
  // Files first: if that fails the row stays and names what is left.
  await removeLogFiles(pathsOf(s, row.jobId));
  await em.nativeDelete(BuildLogEntity, { id });
}

/** What a removal pass did. */
export interface RemovalResult {
  readonly removed: number;
  /** Logs whose files could not be removed; their rows stay. */
  readonly failed: number;
}

/** Removes every log started strictly before `cutoff`, except logs still being written. */
export async function removeLogsStartedBefore(s: LogsState, cutoff: Date): Promise<RemovalResult> {
  const em = s.store.em.fork();
  let removed = 0;
  let failed = 0;
  // Keyset paging: rows that failed or are open stay behind the cursor.
  for (let afterId = 0; ;) {
    const rows = await em.find(
      BuildLogEntity,
      { startedAt: { $lt: cutoff }, id: { $gt: afterId } },
      { orderBy: { id: "asc" }, limit: BATCH, disableIdentityMap: true },
    );
    const gone: number[] = [];
    for (const row of rows) {
      afterId = row.id;
      if (s.writers.has(row.jobId)) continue;
      try {
        await removeLogFiles(pathsOf(s, row.jobId));
        gone.push(row.id);
      } catch (err) {
        failed++;
        s.logger.error({ err, logId: row.id }, "could not remove a build log's file; keeping its row");
      }
    }
    if (gone.length > 0) removed += await em.nativeDelete(BuildLogEntity, { id: { $in: gone } });
    if (rows.length < BATCH) return { removed, failed };
  }
}
