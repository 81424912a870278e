/**
 * The run after a scheduled job an agent takes, queued by the claim itself.
 *
 * A queued scheduled job carries the expression and zone its due time was
 * computed with, and those are its target's current ones: editing a target
 * re-queues its next runs, and the scheduler's start moves them to changed
 * settings. So the claim can compute the next occurrence without reading the
 * target, and insert it in the same transaction, beside the index entries the
 * claim changes anyway. A separate pass doing the same later paid for
 * re-reading and re-writing scattered pages (~0.7 page per job).
 */
import { nextOccurrence } from "../cron/index.js";
import type { ScheduledRun } from "./enqueue.js";
import type { Job } from "./job.js";
import type { RawJobRow } from "./rows.js";

/**
 * The next run of `job`'s pair after `takenAt` (later than its due time:
 * only due jobs are claimed, and missed periods collapse into the job taken),
 * from the schedule stored on its row. Undefined when it is not a scheduled
 * job or its stored schedule or zone cannot be evaluated; the claim then
 * flags the job and the scheduler's pass decides with the target's schedule.
 */
export function successorOf(job: Job, row: RawJobRow, takenAt: Date): ScheduledRun | undefined {
  if (job.reason !== "scheduled") return undefined;
  const schedule = typeof row.schedule === "string" ? row.schedule : "";
  const timeZone = typeof row.time_zone === "string" ? row.time_zone : "";
  if (schedule.trim() === "" || timeZone === "") return undefined;
  try {
    const dueAt = nextOccurrence(schedule, takenAt, timeZone);
    return { targetId: job.targetId, arch: job.arch, dueAt, schedule, timeZone };
  } catch {
    // A row written behind the API's back: no run rather than a failed claim.
    return undefined;
  }
}
