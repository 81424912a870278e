/** Creating jobs: manual builds now, and the scheduler's due jobs. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { archNameProblem } from "../../lib/names.js";
import { JobEntity } from "../store/entities/job.js";
import { TargetEntity } from "../store/entities/target.js";
import type { JobsEnv } from "./env.js";
import type { Job, JobReason } from "./job.js";
import { loadJob, pairKey } from "./rows.js";

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

/**
 * The job a scheduled run becomes: what a row inserted with only target,
 * arch, due time and pending pair holds (everything else is a column
 * default). For code that inserts scheduled jobs in bulk and must report them.
 */
export function scheduledJob(id: number, targetId: number, arch: string, dueAt: Date, now: Date): Job {
  return {
    id,
    targetId,
    arch,
    force: false,
    reason: "scheduled",
    state: "queued",
    agent: "",
    attempt: 1,
    createdAt: now,
    dueAt,
    cancelReason: "",
  };
}
