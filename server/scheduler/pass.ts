/**
 * One scheduling pass: for every scheduled job flagged since the last pass
 * as no longer its target×arch's next run without a successor (a user
 * cancelled it, or the claim that took it could not evaluate the schedule
 * stored on it), queue the run after it. A claim of a scheduled run normally
 * queues the successor itself (server/jobs/successor.ts).
 *
 * The next run is always queued ahead, with its due time, so a pass does no
 * work when runs come due: the claim query picks them up at their time. A
 * pass costs one indexed probe when nothing is flagged, and work proportional
 * to the flagged jobs otherwise — never to the number of targets, nor to
 * the jobs agents took.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { type Job, type JobsEnv, type ScheduledRun, insertScheduledRuns } from "../jobs/index.js";
import { fromDbDate, sql } from "../store/sql.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What a pass did. */
export interface PassResult {
  /** Next runs queued. */
  readonly queued: readonly Job[];
  /** Jobs whose successor was looked after (more than `queued` when the pair already had one). */
  readonly taken: number;
}

interface Taken {
  id: number;
  target_id: number;
  arch: string;
  due_at: unknown;
  dispatched_at: unknown;
  ended_at: unknown;
  target_schedule: string | null;
}

/** Runs one pass at the env clock's current time, with the server's schedule settings. */
export async function runSchedulingPass(env: JobsEnv, settings: ScheduleSettings): Promise<PassResult> {
  const any = await sql(env.em)("job").first("id").where("needs_successor", true);
  if (!any) return { queued: [], taken: 0 };
  const result = await env.em.transactional((tx) => queueSuccessors(tx, settings, env.clock.now()));
  env.events.publish(result.queued);
  return result;
}

// Clears the flags and reads what the successors need in one statement: the
// pass holds the server's only database connection, so each round trip and
// index walk it saves is time claims do not wait. Jobs of deleted targets
// (no schedule any more) get no successor.
const TAKE_FLAGGED = `update job set needs_successor = ? where needs_successor = ?
  returning id, target_id, arch, due_at, dispatched_at, ended_at,
    (select t.schedule from target t where t.id = job.target_id) as target_schedule`;

async function queueSuccessors(em: EntityManager, settings: ScheduleSettings, now: Date): Promise<PassResult> {
  const res = await sql(em).raw(TAKE_FLAGGED, [false, true]);
  // SQLite's driver answers with the rows, PostgreSQL's with a result object.
  const taken = (Array.isArray(res) ? res : res.rows) as Taken[];
  const runs: ScheduledRun[] = [];
  for (const job of taken) {
    if (job.target_schedule === null) continue;
    const schedule = effectiveSchedule(job.target_schedule, settings);
    // After the run it replaces, and after the moment it was taken: missed
    // periods in between collapse into the job that was just taken.
    const due = fromDbDate(job.due_at)!;
    const takenAt = fromDbDate(job.dispatched_at) ?? fromDbDate(job.ended_at) ?? due;
    const dueAt = nextRun(schedule, settings.timeZone, takenAt > due ? takenAt : due);
    if (dueAt) runs.push({ targetId: job.target_id, arch: job.arch, dueAt, schedule, timeZone: settings.timeZone });
  }
  // A pair that already has its next run (an edit rescheduled it) keeps it.
  const queued = await insertScheduledRuns(em, runs, now);
  return { queued, taken: taken.length };
}
