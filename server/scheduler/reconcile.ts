/**
 * Brings every slot in line with the targets and the current settings, once
 * at start: a slot for each target×arch (missing ones are due at the next
 * occurrence), none for arches that are gone, and a recomputed next run where
 * `global_schedule`, `time_zone` or the target's schedule changed. A slot
 * whose run was missed while the server was down keeps its past time, so the
 * first pass turns it into exactly one run. Lean SQL: this reads every pair.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { fromDbDate, sql, toDbDate } from "../store/sql.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What reconciling changed. */
export interface ReconcileResult {
  readonly created: number;
  readonly updated: number;
  readonly removed: number;
}

// SQLite writes a multi-row insert as a compound SELECT (at most 500 terms).
const INSERT_CHUNK = 200;
const ID_CHUNK = 500;

interface SlotRow {
  id: number;
  target_id: number;
  arch: string;
  schedule: string;
  time_zone: string;
  next_run_at: unknown;
}

/** Reconciles all slots inside one transaction. */
export async function reconcileSlots(
  em: EntityManager,
  settings: ScheduleSettings,
  now: Date,
): Promise<ReconcileResult> {
  return em.transactional(async (tx) => {
    const db = sql(tx);
    const pairs: { target_id: number; arch: string; schedule: string }[] = await db("target_arch as ta")
      .join("target as t", "t.id", "ta.target_id")
      .select("ta.target_id", "ta.arch", "t.schedule");
    const slots: SlotRow[] = await db("schedule_slot").select(
      "id",
      "target_id",
      "arch",
      "schedule",
      "time_zone",
      "next_run_at",
    );
    const byPair = new Map(slots.map((s) => [`${s.target_id}:${s.arch}`, s]));
    const { timeZone } = settings;
    const next = (schedule: string) => {
      const at = nextRun(schedule, timeZone, now);
      return at ? toDbDate(tx, at) : null;
    };
    const inserts: object[] = [];
    // Updates grouped by what they write, so a changed global schedule costs
    // one statement per chunk rather than one per slot.
    const updates = new Map<string, { data: object; ids: number[] }>();
    for (const pair of pairs) {
      const key = `${pair.target_id}:${pair.arch}`;
      const schedule = effectiveSchedule(pair.schedule, settings);
      const slot = byPair.get(key);
      byPair.delete(key);
      if (!slot) {
        inserts.push({
          target_id: pair.target_id,
          arch: pair.arch,
          schedule,
          time_zone: timeZone,
          next_run_at: next(schedule),
        });
        continue;
      }
      const nextRunAt = fromDbDate(slot.next_run_at);
      if (slot.schedule === schedule && slot.time_zone === timeZone && nextRunAt) continue;
      // A missed time stays, so the first pass runs it once.
      const missed = nextRunAt !== undefined && nextRunAt <= now;
      const data = missed
        ? { schedule, time_zone: timeZone }
        : { schedule, time_zone: timeZone, next_run_at: next(schedule) };
      const groupKey = JSON.stringify(data);
      const group = updates.get(groupKey) ?? { data, ids: [] };
      group.ids.push(slot.id);
      updates.set(groupKey, group);
    }
    for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
      await db("schedule_slot").insert(inserts.slice(i, i + INSERT_CHUNK));
    }
    let updated = 0;
    for (const { data, ids } of updates.values()) {
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        updated += await db("schedule_slot")
          .update(data)
          .whereIn("id", ids.slice(i, i + ID_CHUNK));
      }
    }
    const stale = [...byPair.values()].map((s) => s.id);
    for (let i = 0; i < stale.length; i += ID_CHUNK) {
      await db("schedule_slot")
        .delete()
        .whereIn("id", stale.slice(i, i + ID_CHUNK));
    }
    return { created: inserts.length, updated, removed: stale.length };
  });
}
