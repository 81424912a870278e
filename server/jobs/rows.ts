/** Conversions between stored job rows and domain jobs, and single-job loading. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import { JobEntity, type JobRow } from "../store/entities/job.js";
import type { FailureCause, FailureStep, Job, JobReason, JobState } from "./job.js";

/** The key of a target×arch in the `pendingPair` and `activePair` columns. */
export function pairKey(targetId: number, arch: string): string {
  return `${targetId}:${arch}`;
}

/** {@link pairKey} as a portable SQL expression over two columns (for set-based inserts). */
export function pairKeySql(targetIdColumn: string, archColumn: string): string {
  return `cast(${targetIdColumn} as text) || ':' || ${archColumn}`;
}

/** The domain view of a stored job. */
export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    targetId: row.targetId,
    arch: row.arch,
    force: row.force,
    reason: row.reason as JobReason,
    state: row.state as JobState,
    agent: row.agent,
    attempt: row.attempt,
    retryOfId: row.retryOfId ?? undefined,
    createdAt: row.createdAt,
    dueAt: row.dueAt,
    dispatchedAt: row.dispatchedAt ?? undefined,
    startedAt: row.startedAt ?? undefined,
    endedAt: row.endedAt ?? undefined,
    leaseExpiresAt: row.leaseExpiresAt ?? undefined,
    cancelRequestedAt: row.cancelRequestedAt ?? undefined,
    cancelReason: row.cancelReason,
    cause: toCause(row),
  };
}

function toCause(row: JobRow): FailureCause | undefined {
  if (row.causeStep === "" && row.causeMessage === "" && row.causeExitCode == null) return undefined;
  return {
    step: row.causeStep === "" ? undefined : (row.causeStep as FailureStep),
    exitCode: row.causeExitCode ?? undefined,
    message: row.causeMessage,
    lastLines: JSON.parse(row.causeLastLines) as string[],
  };
}

/** The columns that store a cause (all cleared when `cause` is undefined). */
export function causeColumns(cause: FailureCause | undefined) {
  return {
    causeStep: cause?.step ?? "",
    causeExitCode: cause?.exitCode ?? null,
    causeMessage: cause?.message ?? "",
    causeLastLines: JSON.stringify(cause?.lastLines ?? []),
  };
}

/**
 * Loads one job fresh from the database. Jobs are written with native
 * updates, so reads bypass the identity map to never see a stale copy.
 */
export async function loadJob(em: EntityManager, id: number): Promise<Job> {
  const row = await em.findOne(JobEntity, { id }, { disableIdentityMap: true });
  if (!row) throw new NotFoundError(`job ${id} does not exist`);
  return toJob(row);
}

/** Rows per statement when ids are sent as bind parameters (SQLite allows 32,766). */
export const CHUNK = 500;

/** Loads jobs by id, in id order, fresh from the database. */
export async function loadJobs(em: EntityManager, ids: readonly number[]): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await em.find(
      JobEntity,
      { id: { $in: ids.slice(i, i + CHUNK) } },
      { disableIdentityMap: true, orderBy: { id: "asc" } },
    );
    jobs.push(...rows.map(toJob));
  }
  return jobs;
}
