/** Cancelling jobs: by a user, or because their target changed. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { FailedPreconditionError } from "../../lib/errors.js";
import { JobEntity } from "../store/entities/job.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { causeColumns, loadJob, toJob } from "./rows.js";
import { ACTIVE_STATES } from "./states.js";
import { applyTransition } from "./transition.js";

/** Why a user's cancellation happened, when they give no reason. */
export const USER_CANCEL_REASON = "cancelled by a user";

/**
 * Cancels a job. A queued job is cancelled at once; a dispatched or running
 * one gets a cancel request (time and reason stored on the job) that the
 * agent protocol delivers, and stays as it is until the agent reports back.
 * Asking again changes nothing. A job that has ended gives
 * FailedPreconditionError; an unknown one NotFoundError.
 */
export async function cancelJob(env: JobsEnv, id: number, reason = USER_CANCEL_REASON): Promise<Job> {
  const now = env.clock.now();
  // A claim may dispatch the job between our read and write; then the
  // conditional update misses and the next round files a request instead.
  for (let round = 0; round < 3; round++) {
    const job = await loadJob(env.em, id);
    if (job.state === "queued") {
      // Cancelling a scheduled run skips it; the scheduler queues the next one.
      const cancelled = await applyTransition(env.em, job, "cancelled", now, {
        cause: { message: reason, lastLines: [] },
        needsSuccessor: job.reason === "scheduled",
      });
      if (!cancelled) continue;
      env.events.publish(cancelled);
      return cancelled;
    }
    if (!ACTIVE_STATES.includes(job.state)) {
      throw new FailedPreconditionError(`job ${id} has already ended (${job.state})`);
    }
    if (job.cancelRequestedAt) return job;
    const changed = await env.em.nativeUpdate(
      JobEntity,
      { id, state: { $in: [...ACTIVE_STATES] }, cancelRequestedAt: null },
      { cancelRequestedAt: now, cancelReason: reason },
    );
    if (changed === 0) continue;
    const requested = await loadJob(env.em, id);
    env.events.publish(requested);
    return requested;
  }
  throw new FailedPreconditionError(`job ${id} kept changing while being cancelled; try again`);
}

/**
 * Cancels every queued job of a target with `reason` (its history stays),
 * inside the caller's transaction. Returns the cancelled jobs; the caller
 * publishes them once its transaction has committed.
 */
export async function cancelQueuedJobsOfTarget(
  em: EntityManager,
  targetId: number,
  reason: string,
  now: Date,
): Promise<Job[]> {
  const cause = causeColumns({ message: reason, lastLines: [] });
  const ended = { state: "cancelled", endedAt: now, pendingPair: null, ...cause };
  const changed = await em.nativeUpdate(JobEntity, { targetId, state: "queued" }, ended);
  if (changed === 0) return [];
  const rows = await em.find(
    JobEntity,
    { targetId, state: "cancelled", endedAt: now, causeMessage: reason },
    { disableIdentityMap: true, orderBy: { id: "asc" } },
  );
  return rows.map(toJob);
}

/**
 * Cancels the given jobs that are still queued with `reason`, inside the
 * caller's transaction; returns those it cancelled (the caller publishes).
 */
export async function cancelQueuedJobsByIds(
  em: EntityManager,
  ids: readonly number[],
  reason: string,
  now: Date,
): Promise<Job[]> {
  const cancelled: Job[] = [];
  for (const id of ids) {
    const job = await loadJob(em, id);
    if (job.state !== "queued") continue;
    const next = await applyTransition(em, job, "cancelled", now, { cause: { message: reason, lastLines: [] } });
    if (next) cancelled.push(next);
  }
  return cancelled;
}
