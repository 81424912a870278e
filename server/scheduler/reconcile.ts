/**
 * Brings every slot in line with the targets and the current settings, once
 * at start: a slot for each target×arch (missing ones are due at the next
 * occurrence), none for arches that are gone, and a recomputed next run where
 * `global_schedule`, `time_zone` or the target's schedule changed. A slot
 * whose run was missed while the server was down keeps its past time, so the
 * first pass turns it into exactly one run.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { ScheduleSlotEntity } from "../store/entities/schedule-slot.js";
import { TargetArchEntity } from "../store/entities/target.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What reconciling changed. */
export interface ReconcileResult {
  readonly created: number;
  readonly updated: number;
  readonly removed: number;
}

const CHUNK = 250;

/** Reconciles all slots inside one transaction. */
export async function reconcileSlots(
  em: EntityManager,
  settings: ScheduleSettings,
  now: Date,
): Promise<ReconcileResult> {
  return em.transactional(async (tx) => {
    const pairs = await tx
      .createQueryBuilder(TargetArchEntity, "ta")
      .select(["ta.target", "ta.arch", "t.schedule"])
      .join("ta.target", "t")
      .execute<{ target: number; arch: string; schedule: string }[]>("all");
    const slots = await tx
      .createQueryBuilder(ScheduleSlotEntity, "s")
      .select(["s.id", "s.target", "s.arch", "s.schedule", "s.timeZone", "s.nextRunAt"])
      .execute<{ id: number; target: number; arch: string; schedule: string; timeZone: string; nextRunAt: Date | null }[]>(
        "all",
      );
    const byPair = new Map(slots.map((s) => [`${s.target}:${s.arch}`, s]));
    const { timeZone } = settings;
    const inserts: object[] = [];
    const updates: { id: number; schedule: string; nextRunAt: Date | null }[] = [];
    for (const pair of pairs) {
      const key = `${pair.target}:${pair.arch}`;
      const schedule = effectiveSchedule(pair.schedule, settings);
      const slot = byPair.get(key);
      byPair.delete(key);
      if (!slot) {
        inserts.push({ target: pair.target, arch: pair.arch, schedule, timeZone, nextRunAt: nextRun(schedule, timeZone, now) ?? null });
      } else if (slot.schedule !== schedule || slot.timeZone !== timeZone || slot.nextRunAt === null) {
        const missed = slot.nextRunAt !== null && slot.nextRunAt <= now;
        updates.push({ id: slot.id, schedule, nextRunAt: missed ? slot.nextRunAt : (nextRun(schedule, timeZone, now) ?? null) });
      }
    }
    for (let i = 0; i < inserts.length; i += CHUNK) {
      await tx.createQueryBuilder(ScheduleSlotEntity).insert(inserts.slice(i, i + CHUNK)).execute();
    }
    for (const u of updates) {
      await tx.nativeUpdate(ScheduleSlotEntity, { id: u.id }, { schedule: u.schedule, timeZone, nextRunAt: u.nextRunAt });
    }
    const stale = [...byPair.values()].map((s) => s.id);
    for (let i = 0; i < stale.length; i += CHUNK) {
      await tx.nativeDelete(ScheduleSlotEntity, { id: { $in: stale.slice(i, i + CHUNK) } });
    }
    return { created: inserts.length, updated: updates.length, removed: stale.length };
  });
}
