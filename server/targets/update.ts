import type { EntityManager } from "@mikro-orm/sqlite";
import { InvalidArgumentError } from "../../lib/errors.js";
import { type JobEvents, cancelQueuedJobsOfTarget } from "../jobs/index.js";
import { scheduleTarget } from "../scheduler/index.js";
import { TargetArchEntity } from "../store/entities/target.js";
import { loadTargetRow, toTarget } from "./rows.js";
import type { Target, TargetDefaults } from "./target.js";
import { type TargetInput, validateTarget } from "./validate.js";

/** The target fields an update mask may name. */
export const UPDATABLE_FIELDS = [
  "kind",
  "url",
  "branch",
  "path",
  "repo",
  "arches",
  "schedule",
  "buildTimeoutSeconds",
  "baseImage",
] as const satisfies readonly (keyof TargetInput)[];

/** A field an update may change. */
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

/**
 * Changes the named fields of a target. The merged result is validated as a
 * whole (so a kind change re-checks the url) before anything is written.
 * An edit cancels the target's queued jobs (reason "target N was edited";
 * they were queued for the old definition, its next scheduled runs
 * included) and queues each arch's next run from `now`, all in one
 * transaction; running jobs are left alone.
 */
export async function updateTarget(
  em: EntityManager,
  id: number,
  changes: Partial<TargetInput>,
  fields: readonly UpdatableField[],
  defaults: TargetDefaults,
  now: Date,
  events: JobEvents,
): Promise<Target> {
  if (fields.length === 0) throw new InvalidArgumentError("update_mask", "names no field to update");
  const { target, changed } = await em.transactional(async (tx) => {
    const row = await loadTargetRow(tx, id);
    const current = toTarget(row);
    const merged: TargetInput = { ...current };
    for (const f of fields) {
      const value = changes[f];
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[f] = value;
    }
    const valid = validateTarget(merged, defaults);
    const { arches, ...scalars } = valid;
    tx.assign(row, { ...scalars, updatedAt: now });
    if (fields.includes("arches")) {
      row.arches.removeAll();
      for (const arch of arches) row.arches.add(tx.create(TargetArchEntity, { target: row, arch }));
    }
    await tx.flush();
    const updated = toTarget(row);
    const jobs = await cancelQueuedJobsOfTarget(tx, id, `target ${id} was edited`, now);
    const scheduled = await scheduleTarget(tx, updated, defaults, now);
    return { target: updated, changed: [...jobs, ...scheduled] };
  });
  events.publish(changed);
  return target;
}
