import type { EntityManager } from "@mikro-orm/sqlite";
import { FailedPreconditionError } from "../../lib/errors.js";
import { TargetEntity } from "../store/entities/target.js";
import { insertJob } from "./enqueue.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { loadJob } from "./rows.js";
import { isFinal } from "./states.js";

/**
 * Queues a new attempt of an ended job, due now: same target, arch and
 * force, reason `retry`, attempt + 1, linked by `retryOfId`. A job that has
 * not ended, or whose target is gone, gives FailedPreconditionError.
 */
export async function retryJob(env: JobsEnv, id: number): Promise<Job> {
  const now = env.clock.now();
  const job = await env.em.transactional(async (em) => {
    const old = await loadJob(em, id);
    if (!isFinal(old.state)) {
      throw new FailedPreconditionError(`job ${id} is ${old.state}; only ended jobs can be retried`);
    }
    return insertRetry(em, old, now);
  });
  env.events.publish(job);
  return job;
}

/**
 * Inserts the next attempt of `old` inside the caller's transaction; does
 * not publish. FailedPreconditionError when its target no longer exists.
 */
export async function insertRetry(em: EntityManager, old: Job, now: Date): Promise<Job> {
  if ((await em.count(TargetEntity, { id: old.targetId })) === 0) {
    throw new FailedPreconditionError(`job ${old.id} cannot be retried: target ${old.targetId} no longer exists`);
  }
  return insertJob(
    em,
    {
      targetId: old.targetId,
      arch: old.arch,
      force: old.force,
      reason: "retry",
      dueAt: now,
      attempt: old.attempt + 1,
      retryOfId: old.id,
    },
    now,
  );
}
