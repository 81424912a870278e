/**
 * Brings every target×arch's next run in line with the targets and the
 * current settings, once at start. A pair without a pending scheduled job
 * gets one (next occurrence after now); a pending job computed with another
 * schedule or zone (changed `global_schedule` or `time_zone`) is moved to the
 * new schedule's next occurrence — unless its time already passed while the
 * server was down: then it stays due, and runs once, now. Pending jobs of
 * arches a target no longer has are cancelled. Lean SQL: this reads every pair.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { type Job, type ScheduledRun, cancelQueuedJobsByIds, insertScheduledRuns } from "../jobs/index.js";
import { fromDbDate, sql, toDbDate } from "../store/sql.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What reconciling changed. */
export interface ReconcileResult {
  /**
   * Pending runs queued for pairs that had none (as after an upgrade). Not
   * published: this runs before the server listens, so nobody watches yet,
   * and an upgrade may create tens of thousands.
   */
  readonly created: number;
  /** Pending runs moved to a changed schedule or zone. */
  readonly updated: number;
  /** Pending runs of arches that are gone, cancelled. */
  readonly cancelled: readonly Job[];
  /** Pairs whose schedule cannot be evaluated (stored behind the API's back). */
  readonly unschedulable: number;
}

interface Pending {
  id: number;
  target_id: number;
  arch: string;
  due_at: unknown;
  schedule: string;
  time_zone: string;
}

const key = (targetId: number, arch: string) => `${targetId}:${arch}`;

/** Reconciles all pending runs inside one transaction; the caller publishes the jobs returned. */
export async function reconcileSchedules(
  em: EntityManager,
  settings: ScheduleSettings,
  now: Date,
): Promise<ReconcileResult> {
  return em.transactional(async (tx) => {
    const db = sql(tx);
    const pairs: { target_id: number; arch: string; schedule: string }[] = await db("target_arch as ta")
      .join("target as t", "t.id", "ta.target_id")
      .select("ta.target_id", "ta.arch", "t.schedule");
    const pending: Pending[] = await db("job")
      .select("id", "target_id", "arch", "due_at", "schedule", "time_zone")
      .whereNotNull("pending_pair");
    // Pairs whose next run the first pass queues (their last one was cancelled, or taken by a claim that could not queue it).
    const awaiting = new Set(
      (await db("job").select("target_id", "arch").where("needs_successor", true)).map(
        (r: { target_id: number; arch: string }) => key(r.target_id, r.arch),
      ),
    );
    const byPair = new Map(pending.map((p) => [key(p.target_id, p.arch), p]));
    const { timeZone } = settings;
    const missing: ScheduledRun[] = [];
    let updated = 0;
    let unschedulable = 0;
    for (const pair of pairs) {
      const schedule = effectiveSchedule(pair.schedule, settings);
      const current = byPair.get(key(pair.target_id, pair.arch));
      byPair.delete(key(pair.target_id, pair.arch));
      if (current && current.schedule === schedule && current.time_zone === timeZone) continue;
      const dueAt = nextRun(schedule, timeZone, now);
      if (!dueAt) {
        unschedulable++;
        continue;
      }
      if (current) {
        const missed = fromDbDate(current.due_at)! <= now;
        const at = toDbDate(tx, dueAt);
        const data = missed
          ? { schedule, time_zone: timeZone }
          : { schedule, time_zone: timeZone, due_at: at, fair_at: at };
        updated += await db("job").update(data).where({ id: current.id });
      } else if (!awaiting.has(key(pair.target_id, pair.arch))) {
        missing.push({ targetId: pair.target_id, arch: pair.arch, dueAt, schedule, timeZone });
      }
    }
    const created = (await insertScheduledRuns(tx, missing, now, { ids: true })).length;
    const cancelled = await cancelQueuedJobsByIds(
      tx,
      [...byPair.values()].map((p) => p.id),
      "its target no longer builds this arch",
      now,
    );
    return { created, updated, cancelled, unschedulable };
  });
}
