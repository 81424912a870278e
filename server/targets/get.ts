import type { EntityManager } from "@mikro-orm/sqlite";
import { loadTargetRow, toTarget } from "./rows.js";
import type { Target } from "./target.js";

/** One target by id; NotFoundError when it does not exist. */
export async function getTarget(em: EntityManager, id: number): Promise<Target> {
  return toTarget(await loadTargetRow(em, id));
}
