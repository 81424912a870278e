/**
 * The writing side the agent protocol drives: open a job's log when its
 * build starts, append output as it arrives, close it with the outcome.
 */
import { open, stat } from "node:fs/promises";
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { isFinal } from "../jobs/index.js";
import { BuildLogEntity } from "../store/entities/build-log.js";
import type { BuildLog, LogEnd, LogStart } from "./log.js";
import { causeColumns, findLogRowOfJob, loadLogRow, toBuildLog } from "./rows.js";
import { type LogsState, notifyLogChanged, pathsOf } from "./state.js";
import { LogWriter } from "./writer.js";

/**
 * Opens the log of `jobId` for appending. Idempotent: an open log is
 * returned as is, and a log left open by a server restart is reopened and
 * appended to (an agent reconnecting mid-build calls this again).
 * FailedPrecondition if the log was closed already.
 */
export async function openLogUnlocked(s: LogsState, jobId: number, start: LogStart): Promise<BuildLog> {
  const em = s.store.em.fork();
  const current = s.writers.get(jobId);
  if (current) return toBuildLog(await loadLogRow(em, current.logId), current.size);
  let row = await findLogRowOfJob(em, jobId);
  if (row && row.result !== "running") {
    throw new FailedPreconditionError(`the log of job ${jobId} is closed already (${row.result})`);
  }
  const fresh = row === undefined;
  if (!row) {
    const id = await em.insert(BuildLogEntity, {
      jobId,
      targetId: start.targetId,
      arch: start.arch,
      agent: start.agent,
      startedAt: start.startedAt ?? s.clock.now(),
      result: "running",
    });
    row = await loadLogRow(em, Number(id));
  }
  // A fresh log truncates whatever an earlier crash may have left under its name.
  const file = await open(pathsOf(s, jobId).plain, fresh ? "w" : "a");
  const size = fresh ? 0 : (await file.stat()).size;
  s.writers.set(jobId, new LogWriter(row.id, jobId, file, size, s.options));
  notifyLogChanged(s, jobId);
  return toBuildLog(row, size);
}

/** Appends output to the open log of `jobId`; see {@link LogWriter.append}. */
export function appendLog(s: LogsState, jobId: number, bytes: Uint8Array): Promise<void> {
  const writer = s.writers.get(jobId);
  if (!writer) {
    return Promise.reject(new FailedPreconditionError(`the log of job ${jobId} is not open (call openLog first)`));
  }
  return writer.append(bytes);
}

/**
 * Closes the log of `jobId` with the job's outcome: the rest is written, the
 * followers end, the row gets end time, result, exit code, cause and final
 * size, and the file is queued for compression. Works on a log left open
 * by a restart too. NotFound without a log, FailedPrecondition if closed.
 */
export async function closeLogUnlocked(s: LogsState, jobId: number, end: LogEnd): Promise<BuildLog> {
  if (!isFinal(end.result)) throw new InvalidArgumentError("result", `${end.result} is not a final job state`);
  const em = s.store.em.fork();
  const paths = pathsOf(s, jobId);
  const writer = s.writers.get(jobId);
  let size: number | undefined;
  if (writer) {
    s.writers.delete(jobId);
    try {
      await writer.close();
    } catch (err) {
      // The row is closed anyway: what reached the file is the log.
      s.logger.error({ err, jobId }, "writing a build log failed; closing it with what was written");
    }
    size = writer.flushed;
  }
  const row = await findLogRowOfJob(em, jobId);
  if (!row) throw new NotFoundError(`job ${jobId} has no log`);
  size ??= await fileSize(paths.plain);
  const changed = await em.nativeUpdate(
    BuildLogEntity,
    { id: row.id, result: "running" },
    { endedAt: s.clock.now(), exitCode: end.exitCode ?? null, result: end.result, size, ...causeColumns(end.cause) },
  );
  if (changed === 0) throw new FailedPreconditionError(`the log of job ${jobId} is closed already (${row.result})`);
  s.compressor.enqueue(row.id, paths);
  notifyLogChanged(s, jobId);
  return toBuildLog(await loadLogRow(em, row.id));
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}
