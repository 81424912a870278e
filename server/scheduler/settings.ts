/** The server settings schedules are evaluated with, and the one place that evaluates them. */
import { CronSchedule } from "../cron/index.js";

/** Configuration the scheduler reads (`global_schedule`, `time_zone`). */
export interface ScheduleSettings {
  /** Schedule of targets without their own. */
  readonly globalSchedule: string;
  /** IANA zone the schedules' wall-clock times are read in. */
  readonly timeZone: string;
}

/** The schedule a target runs on: its own, or the global one when empty. */
export function effectiveSchedule(targetSchedule: string, settings: ScheduleSettings): string {
  return targetSchedule.trim() === "" ? settings.globalSchedule : targetSchedule;
}

/**
 * The first run strictly after the minute containing `after`, or undefined
 * when the expression cannot be evaluated. Targets are validated before they
 * are stored, so undefined means a row written by something else; the slot
 * then stays unscheduled instead of stopping the server (the original
 * refused to start over one bad schedule).
 */
export function nextRun(schedule: string, timeZone: string, after: Date): Date | undefined {
  try {
    return CronSchedule.parse(schedule).next(after, timeZone);
  } catch {
    return undefined;
  }
}
