import type { EntityManager } from "@mikro-orm/sqlite";
import { TargetArchEntity, TargetEntity } from "../store/entities/target.js";
import { toTarget } from "./rows.js";
import type { Target, TargetDefaults } from "./target.js";
import { type TargetInput, validateTarget } from "./validate.js";

/** Validates and stores a new target; nothing is stored when a field is bad. */
export async function createTarget(
  em: EntityManager,
  input: TargetInput,
  defaults: TargetDefaults,
  now: Date,
): Promise<Target> {
  const fields = validateTarget(input, defaults);
  const { arches, ...scalars } = fields;
  const row = em.create(TargetEntity, { ...scalars, createdAt: now, updatedAt: now });
  for (const arch of arches) em.create(TargetArchEntity, { target: row, arch });
  await em.flush();
  return toTarget(row);
}
