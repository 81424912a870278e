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
import { sql, toDbDate } from "../store/sql.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { type RawJobRow, fromRawRow, pairKey } from "./rows.js";

/** Who claims, for which arch, and for how long the lease first runs. */
export interface ClaimRequest {
  readonly arch: string;
  readonly agent: string;
  /** The agent must extend its lease within this many seconds or the job is lost. */
  readonly leaseSeconds: number;
}

const CANDIDATES = 8;
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
  const dbNow = toDbDate(env.em, now);
  for (let round = 0; round < ROUNDS; round++) {
    // Lean SQL and whole rows: the claimed job is built from its candidate row, not
    // read again, and the ORM's query building cost more than the query on this path.
    const candidates: RawJobRow[] = await sql(env.em)("job as j")
      .select("j.*")
      // fair_at ≤ now holds for every due job and bounds the index range (next runs queued ahead sort last).
      .where({ "j.arch": request.arch, "j.state": "queued" })
      .andWhere("j.due_at", "<=", dbNow)
      .andWhere("j.fair_at", "<=", dbNow)
      .andWhereRaw(PAIR_IDLE)
      .orderBy([{ column: "j.fair_at" }, { column: "j.id" }])
      .limit(CANDIDATES);
    if (candidates.length === 0) return undefined;
    for (const row of candidates) {
      const job = await tryClaim(env, fromRawRow(row), request, now);
      if (job) {
        await yieldPairTurn(env, job);
        env.events.publish(job);
        return job;
      }
    }
  }
  return undefined;
}

/**
 * Dispatches `queued`, a job known to be queued (e.g. from its change event),
 * to `agent` without searching: one conditional update. Undefined when it is
 * not due yet, no longer queued, or its target×arch is busy. The caller runs
 * `yieldPairTurn` afterwards, before its next claim (it is off the path to
 * the agent) and publishes the job.
 */
export async function claimQueuedJob(env: JobsEnv, queued: Job, request: ClaimRequest): Promise<Job | undefined> {
  const now = env.clock.now();
  if (queued.state !== "queued" || queued.arch !== request.arch || queued.dueAt > now) return undefined;
  return tryClaim(env, queued, request, now);
}

/**
 * Fairness after a claim: the claimed job's target×arch's other queued jobs
 * go behind every job queued until now. Only ordering depends on this, so it
 * need not be atomic with the claim.
 */
export async function yieldPairTurn(env: JobsEnv, claimed: Job): Promise<void> {
  const dbNow = toDbDate(env.em, claimed.dispatchedAt ?? env.clock.now());
  await sql(env.em)("job")
    .where({ target_id: claimed.targetId, arch: claimed.arch, state: "queued" })
    .andWhere("fair_at", "<", dbNow)
    .update({ fair_at: dbNow });
}

// One statement decides the claim; it runs outside a transaction so a unique
// violation costs nothing to undo (on PostgreSQL it would abort a transaction).
async function tryClaim(env: JobsEnv, queued: Job, request: ClaimRequest, now: Date): Promise<Job | undefined> {
  const claim = {
    state: "dispatched" as const,
    agent: request.agent,
    dispatchedAt: now,
    leaseExpiresAt: new Date(now.getTime() + request.leaseSeconds * 1000),
  };
  let claimed: number;
  try {
    claimed = await env.em.nativeUpdate(
      JobEntity,
      { id: queued.id, state: "queued" },
      {
        ...claim,
        activePair: pairKey(queued.targetId, queued.arch),
        pendingPair: null,
        // A scheduled job was its pair's next run; the scheduler queues the one after.
        needsSuccessor: queued.reason === "scheduled",
      },
    );
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return undefined;
    throw err;
  }
  if (claimed === 0) return undefined;
  // A queued job changes only by leaving that state, so the row read is the row claimed.
  return { ...queued, ...claim };
}
