/**
 * One scheduling pass: for every scheduled job that stopped being its
 * target×arch's next run since the last pass (an agent took it, or a user
 * cancelled it), queue the run after it.
 *
 * The next run is always queued ahead, with its due time, so a pass does no
 * work when runs come due: the claim query picks them up at their time. A
 * pass costs one indexed probe when nothing was taken, and work proportional
 * to the jobs taken since the last pass otherwise — never to the number of
 * targets, not even in the minute every target on the default schedule runs.
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

const ID_CHUNK = 500;

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

async function queueSuccessors(em: EntityManager, settings: ScheduleSettings, now: Date): Promise<PassResult> {
  const db = sql(em);
  // Jobs of deleted targets have no schedule any more: they get no successor.
  const taken: Taken[] = await db("job as j")
    .leftJoin("target as t", "t.id", "j.target_id")
    .select(
      "j.id",
      "j.target_id",
      "j.arch",
      "j.due_at",
      "j.dispatched_at",
      "j.ended_at",
      "t.schedule as target_schedule",
    )
    .where("j.needs_successor", true);
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
  const flaggedIds = taken.map((f) => f.id);
  for (let i = 0; i < flaggedIds.length; i += ID_CHUNK) {
    await db("job")
      .update({ needs_successor: false })
      .whereIn("id", flaggedIds.slice(i, i + ID_CHUNK));
  }
  return { queued, taken: taken.length };
}
