/** Conversions between stored job rows and domain jobs, and single-job loading. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import type { JobRow } from "../store/entities/job.js";
import { fromDbDate, sql } from "../store/sql.js";
import type { FailureCause, FailureStep, Job, JobReason, JobState } from "./job.js";

/** The key of a target×arch in the `pendingPair` and `activePair` columns. */
export function pairKey(targetId: number, arch: string): string {
  return `${targetId}:${arch}`;
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

type CauseRow = Pick<JobRow, "causeStep" | "causeExitCode" | "causeMessage" | "causeLastLines" | "causeTransient">;

function toCause(row: CauseRow): FailureCause | undefined {
  if (row.causeStep === "" && row.causeMessage === "" && row.causeExitCode == null) return undefined;
  return {
    step: row.causeStep === "" ? undefined : (row.causeStep as FailureStep),
    exitCode: row.causeExitCode ?? undefined,
    message: row.causeMessage,
    lastLines: JSON.parse(row.causeLastLines) as string[],
    // Only when set, so a cause reads back as it was written.
    ...(row.causeTransient ? { transient: true } : {}),
  };
}

/** `cause` as it reads back once stored (what a fresh load would return). */
export function storedCause(cause: FailureCause | undefined): FailureCause | undefined {
  return toCause(causeColumns(cause));
}

/** The columns that store a cause (all cleared when `cause` is undefined). */
export function causeColumns(cause: FailureCause | undefined) {
  return {
    causeStep: cause?.step ?? "",
    causeExitCode: cause?.exitCode ?? null,
    causeMessage: cause?.message ?? "",
    causeLastLines: JSON.stringify(cause?.lastLines ?? []),
    causeTransient: cause?.transient ?? false,
  };
}

/**
 * Loads one job fresh from the database. Jobs are written with native
 * updates, so the read is lean SQL, never the identity map's possibly stale
 * copy (and ORM hydration cost several times the query on the dispatch path).
 */
export async function loadJob(em: EntityManager, id: number): Promise<Job> {
  const row = (await sql(em)("job").first("*").where("id", id)) as RawJobRow | undefined;
  if (!row) throw new NotFoundError(`job ${id} does not exist`);
  return fromRawRow(row);
}

/** Rows per statement when ids are sent as bind parameters (SQLite allows 32,766). */
export const CHUNK = 500;

/**
 * A `job` row as the driver returns it to lean SQL: snake_case columns,
 * datetimes and booleans in the dialect's own form.
 */
export type RawJobRow = Record<string, unknown>;

/** The domain view of a raw row (bulk paths skip the ORM's hydration, which costs ~50× more). */
export function fromRawRow(r: RawJobRow): Job {
  const date = (v: unknown) => fromDbDate(v) ?? null;
  const row = {
    id: r.id,
    targetId: r.target_id,
    arch: r.arch,
    force: Boolean(r.force),
    reason: r.reason,
    state: r.state,
    agent: r.agent,
    attempt: r.attempt,
    retryOfId: r.retry_of_id,
    createdAt: date(r.created_at),
    dueAt: date(r.due_at),
    dispatchedAt: date(r.dispatched_at),
    startedAt: date(r.started_at),
    endedAt: date(r.ended_at),
    leaseExpiresAt: date(r.lease_expires_at),
    cancelRequestedAt: date(r.cancel_requested_at),
    cancelReason: r.cancel_reason,
    causeStep: r.cause_step,
    causeExitCode: r.cause_exit_code,
    causeMessage: r.cause_message,
    causeLastLines: r.cause_last_lines,
    causeTransient: r.cause_transient,
  };
  return toJob(row as unknown as JobRow);
}

/** Loads jobs by id, in id order, fresh from the database. */
export async function loadJobs(em: EntityManager, ids: readonly number[]): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows: RawJobRow[] = await sql(em)("job")
      .select("*")
      .whereIn("id", ids.slice(i, i + CHUNK))
      .orderBy("id");
    jobs.push(...rows.map(fromRawRow));
  }
  return jobs;
}
