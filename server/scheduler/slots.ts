/** Schedule slots of one target: written whenever the target is created or edited. */
import type { EntityManager } from "@mikro-orm/sqlite";
import { ScheduleSlotEntity } from "../store/entities/schedule-slot.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What of a target the scheduler needs. */
export interface SchedulableTarget {
  readonly id: number;
  readonly arches: readonly string[];
  /** Empty means the global schedule. */
  readonly schedule: string;
}

/**
 * (Re)schedules a target inside the caller's transaction: exactly one slot
 * per arch, each next due at the first occurrence after `now`; slots of
 * arches the target no longer has are removed.
 */
export async function scheduleTarget(
  em: EntityManager,
  target: SchedulableTarget,
  settings: ScheduleSettings,
  now: Date,
): Promise<void> {
  const schedule = effectiveSchedule(target.schedule, settings);
  const nextRunAt = nextRun(schedule, settings.timeZone, now) ?? null;
  await em.nativeDelete(ScheduleSlotEntity, { target: target.id });
  for (const arch of target.arches) {
    await em.insert(ScheduleSlotEntity, { target: target.id, arch, schedule, timeZone: settings.timeZone, nextRunAt });
  }
}

/** When each arch of a target next gets a scheduled job (undefined: not schedulable). */
export async function nextRunsOf(em: EntityManager, targetId: number): Promise<Map<string, Date | undefined>> {
  const slots = await em.find(ScheduleSlotEntity, { target: targetId }, { disableIdentityMap: true });
  return new Map(slots.map((s) => [s.arch, s.nextRunAt ?? undefined]));
}
