/** Creating jobs: manual builds now, and the scheduler's due jobs. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { archNameProblem } from "../../lib/names.js";
import { JobEntity } from "../store/entities/job.js";
import { TargetEntity } from "../store/entities/target.js";
import type { JobsEnv } from "./env.js";
import type { Job, JobReason } from "./job.js";
import { loadJob, loadJobs, pairKey } from "./rows.js";

// SQLite writes a multi-row insert as a compound SELECT, limited to 500 terms.
const INSERT_CHUNK = 250;

/** A job to insert in state queued. */
export interface NewJob {
  readonly targetId: number;
  readonly arch: string;
  readonly force: boolean;
  readonly reason: JobReason;
  readonly dueAt: Date;
  readonly attempt?: number;
  readonly retryOfId?: number;
}

/** Inserts one queued job inside the caller's transaction; does not publish. */
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
    pendingPair: job.reason === "scheduled" ? pairKey(job.targetId, job.arch) : null,
  });
  return loadJob(em, id as number);
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
  if (arch) {
    const problem = arch === "any" ? `"any" is not a build architecture` : archNameProblem(arch);
    if (problem !== undefined) throw new InvalidArgumentError("arch", problem);
  }
  const jobs = await env.em.transactional(async (em) => {
    const target = await em.findOne(TargetEntity, { id: targetId }, { populate: ["arches"] });
    if (!target) throw new NotFoundError(`target ${targetId} does not exist`);
    const arches = arch ? [arch] : target.arches.getItems().map((a) => a.arch);
    const created: Job[] = [];
    for (const a of arches)
      created.push(await insertJob(em, { targetId, arch: a, force, reason: "manual", dueAt: now }, now));
    return created;
  });
  env.events.publish(jobs);
  return jobs;
}

/** A scheduled run that has come due. */
export interface DueRun {
  readonly targetId: number;
  readonly arch: string;
  readonly dueAt: Date;
}

/**
 * Inserts a scheduled job per due run, except for a target×arch that still
 * has a queued scheduled job: the database's unique `pendingPair` skips it,
 * which is how missed periods collapse into one run. Returns the jobs
 * created; does not publish (the caller does, after committing).
 */
export async function insertScheduledJobs(em: EntityManager, runs: readonly DueRun[], now: Date): Promise<Job[]> {
  const ids: number[] = [];
  for (let i = 0; i < runs.length; i += INSERT_CHUNK) {
    const rows = runs.slice(i, i + INSERT_CHUNK).map((r) => ({
      targetId: r.targetId,
      arch: r.arch,
      reason: "scheduled",
      state: "queued",
      createdAt: now,
      dueAt: r.dueAt,
      fairAt: r.dueAt,
      pendingPair: pairKey(r.targetId, r.arch),
    }));
    const inserted = await em
      .createQueryBuilder(JobEntity)
      .insert(rows)
      .onConflict("pendingPair")
      .ignore()
      .returning(["id"])
      .execute<{ id: number }[]>("all");
    ids.push(...inserted.map((r) => r.id));
  }
  return loadJobs(em, ids);
}
