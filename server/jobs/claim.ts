/**
 * Handing out work: the agent side of the queue.
 *
 * Order. Per arch, due queued jobs are taken by `fairAt`, then id. `fairAt`
 * starts as the due time (oldest first) and is pushed to "now" for a
 * target×arch's other queued jobs whenever one of its jobs is dispatched, so
 * a target with a backlog takes its turn again behind jobs that were queued
 * while it was being served: fair across targets.
 *
 * Exclusivity. A claim is one conditional UPDATE (`state = 'queued'`) that
 * also sets the unique `activePair`. Of two racing claims for one job only
 * one updates a row; of two racing claims for different jobs of one busy
 * target×arch the database refuses the second with a unique violation. Both
 * losers move on to the next candidate. No lock is held between statements,
 * and no transaction is needed.
 */
import { UniqueConstraintViolationException } from "@mikro-orm/core";
import { JobEntity } from "../store/entities/job.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { loadJob, pairKey } from "./rows.js";

/** Who claims, for which arch, and for how long the lease first runs. */
export interface ClaimRequest {
  readonly arch: string;
  readonly agent: string;
  /** The agent must extend its lease within this many seconds or the job is lost. */
  readonly leaseSeconds: number;
}

const CANDIDATES = 8;

type Candidate = { id: number; targetId: number; arch: string; reason: string };
const ROUNDS = 4;

// Skips jobs whose target×arch is already dispatched or running.
const PAIR_IDLE =
  "not exists (select 1 from job a where a.target_id = j.target_id and a.arch = j.arch and a.state in ('dispatched', 'running'))";

/**
 * Dispatches the next ready job for `arch` to `agent` and returns it, or
 * undefined when none is ready. Safe to call concurrently: each job goes to
 * exactly one caller, and never while its target×arch is busy.
 */
export async function claimNextJob(env: JobsEnv, request: ClaimRequest): Promise<Job | undefined> {
  const now = env.clock.now();
  for (let round = 0; round < ROUNDS; round++) {
    const candidates = await env.em
      .createQueryBuilder(JobEntity, "j")
      .select(["j.id", "j.targetId", "j.arch", "j.reason"])
      // fairAt ≤ now holds for every due job and bounds the index range (next runs queued ahead sort last).
      .where({ arch: request.arch, state: "queued", dueAt: { $lte: now }, fairAt: { $lte: now } })
      .andWhere(PAIR_IDLE)
      .orderBy({ fairAt: "asc", id: "asc" })
      .limit(CANDIDATES)
      .execute<Candidate[]>("all");
    if (candidates.length === 0) return undefined;
    for (const c of candidates) {
      const job = await tryClaim(env, c, request, now);
      if (job) {
        env.events.publish(job);
        return job;
      }
    }
  }
  return undefined;
}

// One statement decides the claim; it runs outside a transaction so a unique
// violation costs nothing to undo (on PostgreSQL it would abort a transaction).
async function tryClaim(env: JobsEnv, c: Candidate, request: ClaimRequest, now: Date): Promise<Job | undefined> {
  let claimed: number;
  try {
    claimed = await env.em.nativeUpdate(
      JobEntity,
      { id: c.id, state: "queued" },
      {
        state: "dispatched",
        agent: request.agent,
        dispatchedAt: now,
        leaseExpiresAt: new Date(now.getTime() + request.leaseSeconds * 1000),
        activePair: pairKey(c.targetId, c.arch),
        pendingPair: null,
        // A scheduled job was its pair's next run; the scheduler queues the one after.
        needsSuccessor: c.reason === "scheduled",
      },
    );
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return undefined;
    throw err;
  }
  if (claimed === 0) return undefined;
  // Only ordering depends on this, so it need not be atomic with the claim.
  await env.em.nativeUpdate(
    JobEntity,
    { targetId: c.targetId, arch: c.arch, state: "queued", fairAt: { $lt: now } },
    { fairAt: now },
  );
  return loadJob(env.em, c.id);
}
