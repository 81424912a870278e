import type { EntityManager } from "@mikro-orm/sqlite";
import type { JobEvents } from "../jobs/index.js";
import { scheduleTarget } from "../scheduler/index.js";
import { TargetArchEntity, TargetEntity } from "../store/entities/target.js";
import { toTarget } from "./rows.js";
import type { Target, TargetDefaults } from "./target.js";
import { type TargetInput, validateTarget } from "./validate.js";

/**
 * Validates and stores a new target and queues the next scheduled run of
 * each of its arches; nothing is stored when a field is bad.
 */
export async function createTarget(
  em: EntityManager,
  input: TargetInput,
  defaults: TargetDefaults,
  now: Date,
  events: JobEvents,
): Promise<Target> {
  const fields = validateTarget(input, defaults);
  const { arches, ...scalars } = fields;
  const { target, scheduled } = await em.transactional(async (tx) => {
    const row = tx.create(TargetEntity, { ...scalars, createdAt: now, updatedAt: now });
    for (const arch of arches) tx.create(TargetArchEntity, { target: row, arch });
    await tx.flush();
    const created = toTarget(row);
    return { target: created, scheduled: await scheduleTarget(tx, created, defaults, now) };
  });
  events.publish(scheduled);
  return target;
}
