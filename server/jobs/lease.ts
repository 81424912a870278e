/**
 * Leases: an agent holding a job renews its lease; a job whose lease runs out
 * is lost (its agent crashed, lost the network or was stopped).
 */
import { FailedPreconditionError } from "../../lib/errors.js";
import { JobEntity } from "../store/entities/job.js";
import { sql, toDbDate } from "../store/sql.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { toJob } from "./rows.js";
import { ACTIVE_STATES } from "./states.js";
import { applyTransition, loadHeldJob } from "./transition.js";

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

/**
 * Marks every dispatched or running job whose lease expired before now as
 * lost (cause: agent_lost) and returns them, published.
 */
export async function expireLeases(env: JobsEnv): Promise<Job[]> {
  const now = env.clock.now();
  // Only dispatched and running jobs hold a lease, so the index alone answers "any?".
  const any = await sql(env.em)("job").first("id").where("lease_expires_at", "<", toDbDate(env.em, now));
  if (!any) return [];
  const expired = await env.em.find(
    JobEntity,
    { state: { $in: [...ACTIVE_STATES] }, leaseExpiresAt: { $lt: now } },
    { disableIdentityMap: true, orderBy: { id: "asc" } },
  );
  const lost: Job[] = [];
  for (const row of expired) {
    const job = toJob(row);
    const message = `agent ${JSON.stringify(job.agent)} stopped renewing its lease`;
    // undefined: the agent reported back in the meantime, which wins.
    const next = await applyTransition(env.em, job, "lost", now, {
      cause: { step: "agent_lost", message, lastLines: [], transient: true },
    });
    if (next) lost.push(next);
  }
  env.events.publish(lost);
  return lost;
}
