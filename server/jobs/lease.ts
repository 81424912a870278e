/**
 * Leases: an agent holding a job renews its lease; a job whose lease runs out
 * is lost (its agent crashed, lost the network or was stopped) and re-queued,
 * a limited number of times per retry chain (config max_lost_requeues).
 */
import { FailedPreconditionError } from "../../lib/errors.js";
import { JobEntity } from "../store/entities/job.js";
import { TargetEntity } from "../store/entities/target.js";
import { sql, toDbDate } from "../store/sql.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { toJob } from "./rows.js";
import { earlierAttempts, lostRequeues } from "./chain.js";
import { insertRetry } from "./retry.js";
import { ACTIVE_STATES } from "./states.js";
import { type TransitionColumns, applyTransition, loadHeldJob } from "./transition.js";

/**
 * Renews the lease of a dispatched or running job held by `agent` to
 * `leaseSeconds` from now and returns the job; its `cancelRequestedAt` tells
 * the agent whether to stop. FailedPrecondition once the job has ended
 * (e.g. already declared lost), PermissionDenied for another agent's job.
 */
export async function extendLease(env: JobsEnv, id: number, agent: string, leaseSeconds: number): Promise<Job> {
  const now = env.clock.now();
  const job = await loadHeldJob(env.em, id, agent);
  const leaseExpiresAt = new Date(now.getTime() + leaseSeconds * 1000);
  const changed = await env.em.nativeUpdate(
    JobEntity,
    { id, agent, state: { $in: [...ACTIVE_STATES] } },
    { leaseExpiresAt },
  );
  if (changed === 0) throw new FailedPreconditionError(`job ${id} is ${job.state}; its lease cannot be extended`);
  // No re-read: a cancel request filed since the read is published to the hub by itself.
  return { ...job, leaseExpiresAt };
}

/** What a lease sweep did: the jobs it ended and the retries it queued. */
export interface ExpiredLeases {
  /** `lost` (re-queued) or, once the chain's budget is spent, `failed` (cause agent_lost). */
  readonly ended: Job[];
  readonly requeued: Job[];
}

/**
 * Ends every dispatched or running job whose lease expired before now. While
 * its chain was re-queued for a lost agent fewer than `maxLostRequeues`
 * times, the job becomes `lost` and its next attempt is queued in the same
 * transaction; after that it ends `failed` with cause agent_lost. A job whose
 * target is gone is lost without a retry. Everything is published.
 */
export async function expireLeases(env: JobsEnv, maxLostRequeues: number): Promise<ExpiredLeases> {
  const now = env.clock.now();
  // Only dispatched and running jobs hold a lease, so the index alone answers "any?".
  const any = await sql(env.em)("job").first("id").where("lease_expires_at", "<", toDbDate(env.em, now));
  if (!any) return { ended: [], requeued: [] };
  const expired = await env.em.find(
    JobEntity,
    { state: { $in: [...ACTIVE_STATES] }, leaseExpiresAt: { $lt: now } },
    { disableIdentityMap: true, orderBy: { id: "asc" } },
  );
  const ended: Job[] = [];
  const requeued: Job[] = [];
  for (const row of expired) {
    const job = toJob(row);
    const requeues = lostRequeues(await earlierAttempts(env.em, job));
    const outcome = await env.em.transactional(async (em) => {
      const targetGone = (await em.count(TargetEntity, { id: job.targetId })) === 0;
      const [to, columns] = lossOutcome(job, requeues, maxLostRequeues, targetGone);
      const next = await applyTransition(em, job, to, now, columns);
      // undefined: the agent reported back in the meantime, which wins.
      if (!next || next.state !== "lost" || targetGone) return { next };
      return { next, retry: await insertRetry(em, next, now) };
    });
    if (outcome.next) ended.push(outcome.next);
    if (outcome.retry) requeued.push(outcome.retry);
  }
  env.events.publish([...ended, ...requeued]);
  return { ended, requeued };
}

/** The state and cause of a job whose agent was lost, its chain re-queued `requeues` times before. */
function lossOutcome(
  job: Job,
  requeues: number,
  maxLostRequeues: number,
  targetGone: boolean,
): ["lost" | "failed", TransitionColumns] {
  const stopped = `agent ${JSON.stringify(job.agent)} stopped renewing its lease`;
  const cause = (message: string) => ({
    cause: { step: "agent_lost" as const, message, lastLines: [], transient: true },
  });
  if (requeues < maxLostRequeues) {
    const next = targetGone
      ? `not re-queued: target ${job.targetId} no longer exists`
      : `re-queued (${requeues + 1} of ${maxLostRequeues})`;
    return ["lost", cause(`${stopped}; ${next}`)];
  }
  const spent =
    maxLostRequeues === 0
      ? "lost jobs are not re-queued (max_lost_requeues 0)"
      : `it was already re-queued ${requeues} time${requeues === 1 ? "" : "s"} after losing its agent (max_lost_requeues ${maxLostRequeues})`;
  return ["failed", cause(`${stopped}; ${spent}`)];
}
