/**
 * Automatic retries of failures that may pass by themselves. A lost agent
 * and a failing container engine (`infrastructure`) are transient by their
 * step; a publish is transient when its agent says so (a connection error or
 * a 5xx). Everything else — the build, fetching sources, prepare, the
 * version check, the builder image, a timeout, a publish the server refused
 * with a 4xx — is deterministic: running it again gives the same result.
 *
 * A retry chain has two budgets, each counted from how its earlier jobs
 * ended (chain.ts): re-queues for a lost agent (config max_lost_requeues,
 * spent by the lease sweep in lease.ts) and retries of the other transient
 * failures (config max_transient_retries, spent here). Neither counts
 * against the other, so a chain has at most 1 + both attempts of its own
 * making; a manual RetryJob continues the chain and does not refill them.
 */
import { FailedPreconditionError } from "../../lib/errors.js";
import { earlierAttempts, isAgentLoss, transientRetries } from "./chain.js";
import type { JobsEnv } from "./env.js";
import type { FailureCause, Job } from "./job.js";
import { retryJob } from "./retry.js";

/**
 * Whether a failure with `cause` may pass by itself. `cause.transient` is
 * what the agent said, which only counts for a publish.
 */
export function isTransientFailure(cause: FailureCause | undefined): boolean {
  if (cause?.step === "agent_lost" || cause?.step === "infrastructure") return true;
  return cause?.step === "publish" && cause.transient === true;
}

/**
 * Queues the next attempt of a job that ended `failed` with a transient
 * cause other than a lost agent (lease.ts re-queues those), while its chain
 * was retried for such failures fewer than `maxRetries` times. Returns the
 * new job, or undefined when none is due. A target deleted meanwhile means
 * no retry.
 */
export async function retryIfTransient(env: JobsEnv, job: Job, maxRetries: number): Promise<Job | undefined> {
  if (job.state !== "failed" || !job.cause?.transient || isAgentLoss(job.cause)) return undefined;
  if (transientRetries(await earlierAttempts(env.em, job)) >= maxRetries) return undefined;
  try {
    return await retryJob(env, job.id);
  } catch (err) {
    if (err instanceof FailedPreconditionError) return undefined;
    throw err;
  }
}
