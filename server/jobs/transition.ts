/**
 * State changes after dispatch: the moves an agent reports (start, finish)
 * and the shared machinery every state change uses. Each change is a
 * conditional update on the old state, so two racing changes cannot both win.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { PermissionDeniedError } from "../../lib/errors.js";
import { JobEntity, type JobRow } from "../store/entities/job.js";
import { isTransientFailure } from "./auto-retry.js";
import type { JobsEnv } from "./env.js";
import { IllegalJobTransitionError } from "./errors.js";
import type { FailureCause, Job, JobState } from "./job.js";
import { causeColumns, loadJob, storedCause } from "./rows.js";
import { assertTransition, isFinal } from "./states.js";

/** Extra columns a transition writes besides state and its timestamp. */
export type TransitionColumns = Partial<
  Pick<JobRow, "agent" | "leaseExpiresAt" | "cancelReason" | "needsSuccessor">
> & {
  readonly cause?: FailureCause | undefined;
};

/**
 * Moves `job` to `to` if it is still as it was read (state, cancel request,
 * lease). Returns the job after the change, built without a re-read, or
 * undefined when another change won the race (the
 * caller decides whether to reload and retry). Throws
 * IllegalJobTransitionError for a move the state machine forbids.
 */
export async function applyTransition(
  em: EntityManager,
  job: Job,
  to: JobState,
  now: Date,
  extra: TransitionColumns = {},
): Promise<Job | undefined> {
  assertTransition(job.id, job.state, to);
  const { cause: given, ...columns } = extra;
  // A job cancelled on request keeps the request's reason when the agent gives none.
  const cause =
    given ?? (to === "cancelled" && job.cancelReason !== "" ? { message: job.cancelReason, lastLines: [] } : undefined);
  const data: Record<string, unknown> = { ...columns, state: to };
  if (to === "running") data.startedAt = now;
  if (isFinal(to)) {
    // A final job holds no lease and no longer blocks its target×arch.
    Object.assign(data, { endedAt: now, leaseExpiresAt: null, activePair: null, pendingPair: null });
    Object.assign(data, causeColumns(cause));
  }
  // Besides the state, the columns that change without a transition (a cancel request, a
  // renewed lease) must be as read, so the job returned below is exactly the stored row.
  const asRead = {
    id: job.id,
    state: job.state,
    cancelRequestedAt: job.cancelRequestedAt ?? null,
    leaseExpiresAt: job.leaseExpiresAt ?? null,
  };
  const changed = await em.nativeUpdate(JobEntity, asRead, data);
  if (changed === 0) return undefined;
  // The update matched the job as read, so it now holds exactly that plus `data`: no re-read.
  return {
    ...job,
    state: to,
    agent: columns.agent ?? job.agent,
    cancelReason: columns.cancelReason ?? job.cancelReason,
    leaseExpiresAt: isFinal(to)
      ? undefined
      : columns.leaseExpiresAt === undefined
        ? job.leaseExpiresAt
        : (columns.leaseExpiresAt ?? undefined),
    startedAt: to === "running" ? now : job.startedAt,
    endedAt: isFinal(to) ? now : job.endedAt,
    cause: isFinal(to) ? storedCause(cause) : job.cause,
  };
}

/** Loads a job held by `agent`; PermissionDenied when another agent holds it. */
export async function loadHeldJob(em: EntityManager, id: number, agent: string): Promise<Job> {
  const job = await loadJob(em, id);
  if (job.agent !== agent) {
    throw new PermissionDeniedError(`job ${id} is not held by agent ${JSON.stringify(agent)}`);
  }
  return job;
}

/**
 * Runs a transition of a job held by `agent`, retrying once if the job
 * changed between read and write, then publishes it.
 */
async function agentTransition(
  env: JobsEnv,
  id: number,
  agent: string,
  to: JobState,
  extra: TransitionColumns = {},
): Promise<Job> {
  const now = env.clock.now();
  for (let attempt = 0; attempt < 3; attempt++) {
    const job = await loadHeldJob(env.em, id, agent);
    const next = await applyTransition(env.em, job, to, now, extra);
    if (next) {
      env.events.publish(next);
      return next;
    }
  }
  const job = await loadJob(env.em, id);
  throw new IllegalJobTransitionError(id, job.state, to);
}

/** The agent holding a dispatched job has started building it. */
export function startJob(env: JobsEnv, id: number, agent: string): Promise<Job> {
  return agentTransition(env, id, agent, "running");
}

/** How a build ended, as its agent reports it. */
export type JobOutcome = "succeeded" | "failed" | "skipped" | "timed_out" | "cancelled";

/**
 * The agent holding a job reports its end. `cause` is stored for anything
 * but success (failed, timed out, cancelled — and skipped, when the agent
 * says why); whether a failure is transient is decided here, not by the agent.
 */
export function finishJob(
  env: JobsEnv,
  id: number,
  agent: string,
  outcome: JobOutcome,
  cause?: FailureCause,
): Promise<Job> {
  if (outcome === "succeeded") return agentTransition(env, id, agent, outcome);
  const transient = outcome === "failed" && isTransientFailure(cause);
  return agentTransition(env, id, agent, outcome, { cause: cause && { ...cause, transient } });
}
