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
 * losers move on to the next candidate. No lock is held between statements.
 *
 * Next runs. Claiming a scheduled job (its pair's next run) queues the run
 * after it (`successor.ts`) in the claim's own transaction, so a pair is never
 * without a next run and the scheduler's pass has nothing to do for it.
 */
import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/sqlite";
import { JobEntity } from "../store/entities/job.js";
import { sql, toDbDate } from "../store/sql.js";
import { insertScheduledRuns } from "./enqueue.js";
import type { JobsEnv } from "./env.js";
import type { Job } from "./job.js";
import { type RawJobRow, fromRawRow, pairKey } from "./rows.js";
import { successorOf } from "./successor.js";

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
      const changed = await tryClaim(env, row, request, now);
      if (changed) {
        env.events.publish(changed);
        return changed[0];
      }
    }
  }
  return undefined;
}

// One conditional update decides the claim; the fairness update and the
// successor share its transaction (one commit). A unique violation rolls
// the transaction back, and the caller moves on to the next candidate.
async function tryClaim(env: JobsEnv, row: RawJobRow, request: ClaimRequest, now: Date): Promise<Job[] | undefined> {
  const queued = fromRawRow(row);
  const claim = {
    state: "dispatched" as const,
    agent: request.agent,
    dispatchedAt: now,
    leaseExpiresAt: new Date(now.getTime() + request.leaseSeconds * 1000),
  };
  const successor = successorOf(queued, row, now);
  try {
    return await env.em.transactional(async (tx) => {
      const claimed = await tx.nativeUpdate(
        JobEntity,
        { id: queued.id, state: "queued" },
        {
          ...claim,
          activePair: pairKey(queued.targetId, queued.arch),
          pendingPair: null,
          // A scheduled run whose successor could not be computed here: the scheduler's pass decides.
          needsSuccessor: queued.reason === "scheduled" && successor === undefined,
        },
      );
      if (claimed === 0) return undefined;
      await pushBackPair(tx, queued, now);
      const next = successor ? await insertScheduledRuns(tx, [successor], now) : [];
      // A queued job changes only by leaving that state, so the row read is the row claimed.
      return [{ ...queued, ...claim }, ...next];
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return undefined;
    throw err;
  }
}

// Fairness: the pair's other queued jobs go behind those queued until now.
// The condition is in the SET, not the WHERE: with `fair_at < ?` in the WHERE
// SQLite picked the (arch, state, fair_at) index and read every earlier
// queued job of the arch (~600 pages per claim with 20,000 queued).
async function pushBackPair(em: EntityManager, job: Job, now: Date): Promise<void> {
  const dbNow = toDbDate(em, now);
  const db = sql(em);
  await db("job")
    .where({ target_id: job.targetId, arch: job.arch, state: "queued" })
    .update({ fair_at: db.raw("case when fair_at < ? then ? else fair_at end", [dbNow, dbNow]) });
}
