/** Creating jobs: manual builds now; the primitive the scheduler and retries use. */
import type { Knex } from "@mikro-orm/knex";
import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import { validateBuildArch } from "../../lib/names.js";
import { JobEntity } from "../store/entities/job.js";
import { insertRows, sql, toDbDate } from "../store/sql.js";
import type { JobsEnv } from "./env.js";
import type { Job, JobReason } from "./job.js";
import { pairKey } from "./rows.js";

/** A job to insert in state queued. */
export interface NewJob {
  readonly targetId: number;
  readonly arch: string;
  readonly force: boolean;
  readonly reason: JobReason;
  readonly dueAt: Date;
  readonly attempt?: number;
  readonly retryOfId?: number;
  /** Scheduled jobs: the expression and zone `dueAt` was computed with. */
  readonly schedule?: string;
  readonly timeZone?: string;
}

/**
 * Inserts one queued job inside the caller's transaction; does not publish.
 * A scheduled job becomes its target×arch's pending one (at most one: a
 * second gives a unique violation).
 */
export async function insertJob(em: EntityManager, job: NewJob, now: Date): Promise<Job> {
  const id = await em.insert(JobEntity, {
    targetId: job.targetId,
    arch: job.arch,
    force: job.force,
    reason: job.reason,
    state: "queued",
    attempt: job.attempt ?? 1,
    retryOfId: job.retryOfId ?? null,
    createdAt: now,
    dueAt: job.dueAt,
    fairAt: job.dueAt,
    schedule: job.schedule ?? "",
    timeZone: job.timeZone ?? "",
    pendingPair: job.reason === "scheduled" ? pairKey(job.targetId, job.arch) : null,
  });
  // The row is exactly what was just written (the rest are column defaults): no re-read.
  return {
    id: Number(id),
    targetId: job.targetId,
    arch: job.arch,
    force: job.force,
    reason: job.reason,
    state: "queued",
    agent: "",
    attempt: job.attempt ?? 1,
    retryOfId: job.retryOfId,
    createdAt: new Date(now),
    dueAt: new Date(job.dueAt),
    cancelReason: "",
  };
}

/**
 * Queues a manual build of `targetId` due now: for `arch`, or for every arch
 * of the target when `arch` is undefined or empty. Any valid arch name is
 * accepted, as in Vieter, so a target can be tried on a new architecture.
 * `force` is stored as given. NotFoundError for an unknown target.
 */
export async function enqueueManualJobs(
  env: JobsEnv,
  targetId: number,
  arch: string | undefined,
  force: boolean,
): Promise<Job[]> {
  const now = env.clock.now();
  if (arch) validateBuildArch(arch);
  const jobs = await env.em.transactional(async (em) => {
    // Lean reads: BuildTarget is the start of every dispatch.
    const exists = await sql(em)("target").first("id").where("id", targetId);
    if (!exists) throw new NotFoundError(`target ${targetId} does not exist`);
    const arches = arch
      ? [arch]
      : (await sql(em)("target_arch").select("arch").where("target_id", targetId).orderBy("id")).map(
          (r: { arch: string }) => r.arch,
        );
    const created: Job[] = [];
    for (const a of arches)
      created.push(await insertJob(em, { targetId, arch: a, force, reason: "manual", dueAt: now }, now));
    return created;
  });
  env.events.publish(jobs);
  return jobs;
}

/** A target×arch's next scheduled run. */
export interface ScheduledRun {
  readonly targetId: number;
  readonly arch: string;
  readonly dueAt: Date;
  readonly schedule: string;
  readonly timeZone: string;
}

const SCHEDULED_COLUMNS = [
  "target_id",
  "arch",
  "reason",
  "state",
  "created_at",
  "due_at",
  "fair_at",
  "schedule",
  "time_zone",
  "pending_pair",
];

/**
 * Queues many scheduled runs in bulk, inside the caller's transaction,
 * skipping every target×arch that already has a pending scheduled job (the
 * unique `pendingPair`; of two runs for one pair the first wins). Returns the
 * jobs created (does not publish), or with `{ ids: true }` only their ids,
 * for bulk paths nobody is watching. `db`: a knex transaction to run in
 * instead of the EntityManager's.
 */
export async function insertScheduledRuns(
  em: EntityManager,
  runs: readonly ScheduledRun[],
  now: Date,
  options?: { db?: Knex },
): Promise<Job[]>;
export async function insertScheduledRuns(
  em: EntityManager,
  runs: readonly ScheduledRun[],
  now: Date,
  options: { ids: true; db?: Knex },
): Promise<number[]>;
export async function insertScheduledRuns(
  em: EntityManager,
  runs: readonly ScheduledRun[],
  now: Date,
  options: { ids?: boolean; db?: Knex } = {},
): Promise<Job[] | number[]> {
  const created = toDbDate(em, now);
  const byPair = new Map<string, ScheduledRun>();
  for (const r of runs) if (!byPair.has(pairKey(r.targetId, r.arch))) byPair.set(pairKey(r.targetId, r.arch), r);
  const rows = [...byPair].map(([pair, r]) => {
    const due = toDbDate(em, r.dueAt);
    return [r.targetId, r.arch, "scheduled", "queued", created, due, due, r.schedule, r.timeZone, pair];
  });
  // Only id and pair come back: returning whole rows cost ~1.5× the insert
  // itself, and the rest of each row is known here.
  const suffix = "on conflict (pending_pair) do nothing returning id, pending_pair";
  const inserted = await insertRows<{ id: unknown; pending_pair: string }>(
    options.db ?? em,
    "job",
    SCHEDULED_COLUMNS,
    rows,
    suffix,
  );
  if (options.ids) return inserted.map((r) => Number(r.id));
  return inserted
    .map((r) => queuedScheduledJob(Number(r.id), byPair.get(r.pending_pair)!, now))
    .sort((a, b) => a.id - b.id);
}

/** A scheduled run just inserted, as the database now holds it (column defaults included). */
function queuedScheduledJob(id: number, run: ScheduledRun, now: Date): Job {
  return {
    id,
    targetId: run.targetId,
    arch: run.arch,
    force: false,
    reason: "scheduled",
    state: "queued",
    agent: "",
    attempt: 1,
    createdAt: new Date(now),
    dueAt: new Date(run.dueAt),
    cancelReason: "",
  };
}
