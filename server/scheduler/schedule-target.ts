/**
 * A target's next runs: one queued scheduled job per arch, due at the first
 * occurrence of its schedule after now. Written whenever the target is
 * created or edited, in the caller's transaction.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { type Job, insertJob } from "../jobs/index.js";
import { JobEntity } from "../store/entities/job.js";
import { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";

/** What of a target the scheduler needs. */
export interface SchedulableTarget {
  readonly id: number;
  readonly arches: readonly string[];
  /** Empty means the global schedule. */
  readonly schedule: string;
}

/**
 * Queues the next scheduled run of each arch of a target that has none
 * (after an edit the caller has cancelled the old ones). Returns the jobs
 * created, for the caller to publish once committed. A schedule that cannot
 * be evaluated queues nothing.
 */
export async function scheduleTarget(
  em: EntityManager,
  target: SchedulableTarget,
  settings: ScheduleSettings,
  now: Date,
): Promise<Job[]> {
  const schedule = effectiveSchedule(target.schedule, settings);
  const dueAt = nextRun(schedule, settings.timeZone, now);
  if (!dueAt) return [];
  const jobs: Job[] = [];
  for (const arch of target.arches) {
    jobs.push(
      await insertJob(
        em,
        { targetId: target.id, arch, force: false, reason: "scheduled", dueAt, schedule, timeZone: settings.timeZone },
        now,
      ),
    );
  }
  return jobs;
}

/** When each arch of a target next runs on schedule (its pending scheduled job's due time). */
export async function nextRunsOf(em: EntityManager, targetId: number): Promise<Map<string, Date>> {
  const pending = await em.find(
    JobEntity,
    { targetId, reason: "scheduled", state: "queued" },
    { disableIdentityMap: true, orderBy: { id: "asc" } },
  );
  return new Map(pending.map((j) => [j.arch, j.dueAt]));
}
