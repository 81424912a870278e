/**
 * A retry chain: a job and the jobs it retries (through `retryOfId`, back to
 * the first attempt). Automatic retries spend budgets per chain, counted from
 * how its earlier jobs ended: a `lost` job was re-queued for a lost agent, a
 * `failed` one with another transient cause was retried for that.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import type { FailureCause, Job } from "./job.js";
import { loadJob } from "./rows.js";

/**
 * The jobs `job` retries, newest first. Chains are a few jobs long, so one
 * lookup per link.
 */
export async function earlierAttempts(em: EntityManager, job: Job): Promise<Job[]> {
  const attempts: Job[] = [];
  const seen = new Set([job.id]);
  let id = job.retryOfId;
  // `seen` guards against a loop no code writes but a hand-edited database could hold.
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    // Jobs are never deleted by the server; a missing link (removed by hand) ends the chain.
    const earlier = await loadJob(em, id).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (!earlier) break;
    attempts.push(earlier);
    id = earlier.retryOfId;
  }
  return attempts;
}

/** Whether `cause` is the loss of the job's agent (it stopped renewing its lease). */
export function isAgentLoss(cause: FailureCause | undefined): boolean {
  return cause?.step === "agent_lost";
}

/** Re-queues for a lost agent among a chain's earlier jobs (`earlierAttempts`). */
export function lostRequeues(earlier: readonly Job[]): number {
  return earlier.filter((j) => j.state === "lost").length;
}

/** Retries for other transient failures among a chain's earlier jobs. */
export function transientRetries(earlier: readonly Job[]): number {
  return earlier.filter((j) => j.state === "failed" && j.cause?.transient === true && !isAgentLoss(j.cause)).length;
}
