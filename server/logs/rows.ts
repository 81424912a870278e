/** Conversions between stored log rows and domain logs. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import type { FailureCause, FailureStep } from "../jobs/index.js";
import { BuildLogEntity, type BuildLogRow } from "../store/entities/build-log.js";
import type { BuildLog, LogResult } from "./log.js";

/** The domain view of a stored log; `liveSize` replaces the stored size while the log is open. */
export function toBuildLog(row: BuildLogRow, liveSize?: number): BuildLog {
  return {
    id: row.id,
    jobId: row.jobId,
    targetId: row.targetId,
    arch: row.arch,
    agent: row.agent,
    startedAt: row.startedAt,
    endedAt: row.endedAt ?? undefined,
    exitCode: row.exitCode ?? undefined,
    result: row.result as LogResult,
    cause: toCause(row),
    size: liveSize ?? row.size,
    synthetic: row.synthetic,
  };
}

function toCause(row: BuildLogRow): FailureCause | undefined {
  if (row.causeStep === "" && row.causeMessage === "") return undefined;
  return {
    step: row.causeStep === "" ? undefined : (row.causeStep as FailureStep),
    exitCode: row.exitCode ?? undefined,
    message: row.causeMessage,
    lastLines: JSON.parse(row.causeLastLines) as string[],
  };
}

/** The columns that store a cause. */
export function causeColumns(cause: FailureCause | undefined) {
  return {
    causeStep: cause?.step ?? "",
    causeMessage: cause?.message ?? "",
    causeLastLines: JSON.stringify(cause?.lastLines ?? []),
  };
}

/** A log row by id, fresh from the database; NotFoundError if there is none. */
export async function loadLogRow(em: EntityManager, id: number): Promise<BuildLogRow> {
  const row = await em.findOne(BuildLogEntity, { id }, { disableIdentityMap: true });
  if (!row) throw new NotFoundError(`log ${id} does not exist`);
  return row;
}

/** The log row of a job, fresh from the database, if it has one. */
export async function findLogRowOfJob(em: EntityManager, jobId: number): Promise<BuildLogRow | undefined> {
  return (await em.findOne(BuildLogEntity, { jobId }, { disableIdentityMap: true })) ?? undefined;
}
