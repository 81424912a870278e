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
 * The fairness update follows the claim (`yieldPairTurn`): only ordering
 * depends on it, so it stays off the path to the agent.
 *
 * Next runs. Claiming a scheduled job (its pair's next run) queues the run
 * after it (`successor.ts`) in the claim's own transaction, so a pair is never
 * without a next run and the scheduler's pass has nothing to do for it.
 */
import type { Knex } from "@mikro-orm/knex";
import { isUniqueViolation, sql, toDbDate } from "../store/sql.js";
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
      const changed = await tryClaim(env, fromRawRow(row), row, request, now);
      if (changed) {
        await yieldPairTurn(env, changed[0]);
        env.events.publish(changed);
        return changed[0];
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
 * the agent) and publishes the job. A scheduled job taken this way (rare: a
 * run queued already due) is flagged for the scheduler's pass, which queues
 * its successor from the target's schedule.
 */
export async function claimQueuedJob(env: JobsEnv, queued: Job, request: ClaimRequest): Promise<Job | undefined> {
  const now = env.clock.now();
  if (queued.state !== "queued" || queued.arch !== request.arch || queued.dueAt > now) return undefined;
  return (await tryClaim(env, queued, undefined, request, now))?.[0];
}

/**
 * Fairness after a claim: the claimed job's target×arch's other queued jobs
 * go behind every job queued until now. Only ordering depends on this, so it
 * need not be atomic with the claim.
 */
export async function yieldPairTurn(env: JobsEnv, claimed: Job): Promise<void> {
  const dbNow = toDbDate(env.em, claimed.dispatchedAt ?? env.clock.now());
  const db = sql(env.em);
  // The condition is in the SET, not the WHERE: with `fair_at < ?` in the WHERE
  // SQLite picked the (arch, state, fair_at) index and read every earlier
  // queued job of the arch (~600 pages per claim with 20,000 queued).
  await db("job")
    .where({ target_id: claimed.targetId, arch: claimed.arch, state: "queued" })
    .update({ fair_at: db.raw("case when fair_at < ? then ? else fair_at end", [dbNow, dbNow]) });
}

// One conditional update decides the claim. For a scheduled run whose
// successor can be computed from its row, the successor's insert shares the
// claim's transaction (one commit); a unique violation rolls it back and the
// caller moves on to the next candidate. Returns the claimed job, then the
// successor when one was queued. Plain knex, not the ORM: an ORM transaction
// forks an EntityManager and clones its configuration, which cost more CPU
// and garbage than the two statements (the scheduler bench's resident memory).
async function tryClaim(
  env: JobsEnv,
  queued: Job,
  row: RawJobRow | undefined,
  request: ClaimRequest,
  now: Date,
): Promise<Job[] | undefined> {
  const claim = {
    state: "dispatched" as const,
    agent: request.agent,
    dispatchedAt: now,
    leaseExpiresAt: new Date(now.getTime() + request.leaseSeconds * 1000),
  };
  const successor = row ? successorOf(queued, row, now) : undefined;
  const update = async (db: Knex): Promise<Job[] | undefined> => {
    const claimed = await db("job")
      .where({ id: queued.id, state: "queued" })
      .update({
        state: claim.state,
        agent: claim.agent,
        dispatched_at: toDbDate(env.em, claim.dispatchedAt),
        lease_expires_at: toDbDate(env.em, claim.leaseExpiresAt),
        active_pair: pairKey(queued.targetId, queued.arch),
        pending_pair: null,
        // A scheduled run whose successor could not be computed here: the scheduler's pass decides.
        needs_successor: queued.reason === "scheduled" && successor === undefined,
      });
    if (claimed === 0) return undefined;
    const next = successor ? await insertScheduledRuns(env.em, [successor], now, { db }) : [];
    // A queued job changes only by leaving that state, so the row read is the row claimed.
    return [{ ...queued, ...claim }, ...next];
  };
  const db = sql(env.em);
  try {
    // Without a successor the claim is one statement and needs no transaction.
    return successor ? await db.transaction(update) : await update(db);
  } catch (err) {
    if (isUniqueViolation(env.em, err)) return undefined;
    throw err;
  }
}
