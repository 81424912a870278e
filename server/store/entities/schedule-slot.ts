import { type InferEntity, defineEntity, p } from "@mikro-orm/core";
import { TargetEntity } from "./target.js";

/**
 * When a target×arch next gets a scheduled job. One row per pair; the
 * effective expression and zone are copied in so a scheduling pass needs no
 * join, and a changed `global_schedule` or `time_zone` is noticed at start.
 * `nextRunAt` is null only when the schedule could not be evaluated.
 */
export const ScheduleSlotEntity = defineEntity({
  name: "ScheduleSlot",
  tableName: "schedule_slot",
  properties: {
    id: p.integer().primary().autoincrement(),
    target: () => p.manyToOne(TargetEntity).deleteRule("cascade"),
    arch: p.text(),
    schedule: p.text(),
    timeZone: p.text(),
    nextRunAt: p.datetime().nullable().index(),
  },
  uniques: [{ properties: ["target", "arch"] }],
  // A pass moves all due slots of one schedule with one UPDATE.
  indexes: [{ properties: ["schedule", "timeZone", "nextRunAt"] }],
});

export type ScheduleSlotRow = InferEntity<typeof ScheduleSlotEntity>;
