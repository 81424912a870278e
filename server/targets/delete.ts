import type { EntityManager } from "@mikro-orm/sqlite";
import { type JobEvents, cancelQueuedJobsOfTarget } from "../jobs/index.js";
import { loadTargetRow } from "./rows.js";

/**
 * Removes a target, its arches and schedule, and cancels its queued jobs
 * (reason "target N was deleted"); the job history stays. NotFoundError when
 * it does not exist.
 */
export async function deleteTarget(em: EntityManager, id: number, now: Date, events: JobEvents): Promise<void> {
  const cancelled = await em.transactional(async (tx) => {
    const row = await loadTargetRow(tx, id);
    const jobs = await cancelQueuedJobsOfTarget(tx, id, `target ${id} was deleted`, now);
    // Schedule slots go with the target (foreign key, on delete cascade).
    tx.remove(row);
    return jobs;
  });
  events.publish(cancelled);
}
