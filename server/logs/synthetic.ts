/**
 * Logs for jobs whose build output never (fully) arrived: timed out, lost
 * agent, infrastructure error. Vieter uploaded nothing then; here every job
 * that was handed to an agent ends with a log saying what is known.
 */
import { writeFile } from "node:fs/promises";
import type { EntityManager } from "@mikro-orm/sqlite";
import { FailedPreconditionError, InvalidArgumentError } from "../../lib/errors.js";
import { type FailureCause, type Job, getJob, isFinal } from "../jobs/index.js";
import { BuildLogEntity } from "../store/entities/build-log.js";
import type { BuildLog, LogResult } from "./log.js";
import { closeLogUnlocked, openLogUnlocked } from "./open-close.js";
import { causeColumns, findLogRowOfJob, loadLogRow, toBuildLog } from "./rows.js";
import { type LogsState, notifyLogChanged, pathsOf } from "./state.js";

/**
 * Writes `text` as the log of job `jobId`, ended with `result` and `cause`.
 * With no log yet, a synthetic log is created from what the job row knows;
 * with an open log, the text is appended and the log closed.
 * FailedPrecondition if the job's log is closed already.
 */
export async function writeSyntheticLogUnlocked(
  s: LogsState,
  jobId: number,
  text: string,
  result: LogResult,
  cause?: FailureCause,
): Promise<BuildLog> {
  if (!isFinal(result)) throw new InvalidArgumentError("result", `${result} is not a final job state`);
  const em = s.store.em.fork();
  const body = `${text.replace(/\n?$/, "\n")}`;
  const end = { result, exitCode: cause?.exitCode, cause };
  const row = await findLogRowOfJob(em, jobId);
  if (row) {
    if (row.result !== "running") {
      throw new FailedPreconditionError(`the log of job ${jobId} is closed already (${row.result})`);
    }
    // Output did arrive: keep it and add what the server knows.
    await openLogUnlocked(s, jobId, row);
    await s.writers.get(jobId)?.append(Buffer.from(`\n[vieter] ${body}`));
    return closeLogUnlocked(s, jobId, end);
  }
  const id = await insertSyntheticLog(s, em, await getJob(em, jobId), body, result, cause);
  return toBuildLog(await loadLogRow(em, id));
}

/** Writes a new synthetic log of a job that has none (the caller checked) and returns its id. */
async function insertSyntheticLog(
  s: LogsState,
  em: EntityManager,
  job: Job,
  body: string,
  result: LogResult,
  cause: FailureCause | undefined,
): Promise<number> {
  const content = Buffer.from(`${header(job, result, cause)}${body}`);
  const paths = pathsOf(s, job.id);
  // The file first: a row must never point at content that is not there yet.
  await writeFile(paths.plain, content);
  const id = Number(
    await em.insert(BuildLogEntity, {
      jobId: job.id,
      targetId: job.targetId,
      arch: job.arch,
      agent: job.agent,
      startedAt: job.startedAt ?? job.dispatchedAt ?? job.createdAt,
      endedAt: job.endedAt ?? s.clock.now(),
      exitCode: cause?.exitCode ?? null,
      result,
      size: content.length,
      synthetic: true,
      ...causeColumns(cause),
    }),
  );
  s.compressor.enqueue(id, paths);
  notifyLogChanged(s, job.id);
  return id;
}

/**
 * Makes sure a job that ended has a closed log: an open one (the agent did
 * not close it, or a restart orphaned it) is closed with the job's outcome;
 * a dispatched job without any log gets a synthetic one. A job never handed
 * to an agent has no log. Returns what was done.
 */
export async function finalizeJobLogUnlocked(s: LogsState, job: Job): Promise<"closed" | "written" | "none"> {
  if (!isFinal(job.state)) return "none";
  const em = s.store.em.fork();
  const row = await findLogRowOfJob(em, job.id);
  if (row && row.result !== "running") return "none";
  const end = { result: job.state, exitCode: job.cause?.exitCode, cause: job.cause };
  if (row) {
    const writer = s.writers.get(job.id);
    await writer?.append(
      Buffer.from(`\n[vieter] the job ended as ${describeEnd(job.state, job.cause)}; the server closed its log\n`),
    );
    await closeLogUnlocked(s, job.id, end);
    return "closed";
  }
  if (job.agent === "") return "none";
  // Every job without output ends here: no second lookup, no re-read of the job or the new row.
  await insertSyntheticLog(s, em, job, timeline(job).replace(/\n?$/, "\n"), job.state, job.cause);
  return "written";
}

function header(job: Job, result: LogResult, cause: FailureCause | undefined): string {
  return [
    `[vieter] No build output reached the server for job ${job.id}; this log was written by the server.`,
    `[vieter] target ${job.targetId}, arch ${job.arch}, agent ${JSON.stringify(job.agent)}, attempt ${job.attempt}`,
    `[vieter] result: ${describeEnd(result, cause)}`,
    "",
  ].join("\n");
}

function timeline(job: Job): string {
  const at = (d: Date | undefined) => d?.toISOString() ?? "-";
  const lines = [
    `[vieter] queued ${at(job.createdAt)}, dispatched ${at(job.dispatchedAt)}, started ${at(job.startedAt)}, ended ${at(job.endedAt)}`,
  ];
  if (job.cause?.lastLines.length) {
    lines.push("[vieter] last lines reported:", ...job.cause.lastLines);
  }
  return lines.join("\n");
}

function describeEnd(result: LogResult, cause: FailureCause | undefined): string {
  if (!cause) return result;
  const parts = [cause.step, cause.exitCode === undefined ? undefined : `exit code ${cause.exitCode}`, cause.message];
  return `${result} (${parts.filter((p) => p !== undefined && p !== "").join("; ")})`;
}
