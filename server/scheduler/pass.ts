/**
 * One scheduling pass: every slot whose time has come yields a scheduled job
 * (unless its target×arch still has one queued: missed periods collapse into
 * that one run) and moves on to its next occurrence after now; then expired
 * leases are declared lost.
 *
 * Cost: when nothing is due, one indexed probe. When runs are due, one
 * set-based INSERT … SELECT creates all their jobs inside the database (the
 * unique `pending_pair` skips pairs that still have one queued), and slots
 * move on with one UPDATE per distinct schedule.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { type Job, type JobsEnv, expireLeases, pairKeySql, scheduledJob } from "../jobs/index.js";
import { fromDbDate, sql, toDbDate } from "../store/sql.js";
import { nextRun } from "./settings.js";

/** What a pass did. */
export interface PassResult {
  /** Scheduled jobs created. */
  readonly queued: readonly Job[];
  /** Slots that came due (more than `queued` when runs collapsed). */
  readonly dueSlots: number;
  /** Jobs whose lease had expired. */
  readonly lost: readonly Job[];
}

/** Runs one pass at the env clock's current time. */
export async function runSchedulingPass(env: JobsEnv): Promise<PassResult> {
  const now = env.clock.now();
  const at = toDbDate(env.em, now);
  const anyDue = await sql(env.em)("schedule_slot").first("id").where("next_run_at", "<=", at);
  let queued: Job[] = [];
  let dueSlots = 0;
  if (anyDue) {
    ({ queued, dueSlots } = await env.em.transactional((tx) => queueDueRuns(tx, now)));
    env.events.publish(queued);
  }
  const lost = await expireLeases(env);
  return { queued, dueSlots, lost };
}

async function queueDueRuns(em: EntityManager, now: Date): Promise<{ queued: Job[]; dueSlots: number }> {
  const db = sql(em);
  const at = toDbDate(em, now);
  const groups: { schedule: string; time_zone: string; n: number | string }[] = await db("schedule_slot")
    .select("schedule", "time_zone")
    .count({ n: "*" })
    .where("next_run_at", "<=", at)
    .groupBy("schedule", "time_zone");
  // Portable SQL (SQLite ≥ 3.35 and PostgreSQL): INSERT … SELECT … ON CONFLICT … RETURNING.
  const inserted = await db.raw(
    `insert into job (target_id, arch, reason, state, created_at, due_at, fair_at, pending_pair)
     select s.target_id, s.arch, 'scheduled', 'queued', ?, s.next_run_at, s.next_run_at, ${pairKeySql("s.target_id", "s.arch")}
     from schedule_slot s where s.next_run_at <= ?
     on conflict (pending_pair) do nothing
     returning id, target_id, arch, due_at`,
    [at, at],
  );
  const rows: { id: number; target_id: number; arch: string; due_at: unknown }[] = Array.isArray(inserted)
    ? inserted
    : inserted.rows;
  const queued = rows
    .map((r) => scheduledJob(r.id, r.target_id, r.arch, fromDbDate(r.due_at)!, now))
    .sort((a, b) => a.id - b.id);
  // Slots sharing a schedule and zone share their next run: one UPDATE each
  // (over the (schedule, time_zone, next_run_at) index) moves them all.
  for (const g of groups) {
    const next = nextRun(g.schedule, g.time_zone, now);
    await db("schedule_slot")
      .update({ next_run_at: next ? toDbDate(em, next) : null })
      .where({ schedule: g.schedule, time_zone: g.time_zone })
      .andWhere("next_run_at", "<=", at);
  }
  return { queued, dueSlots: groups.reduce((sum, g) => sum + Number(g.n), 0) };
}
