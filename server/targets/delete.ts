import type { EntityManager } from "@mikro-orm/sqlite";
import { loadTargetRow } from "./rows.js";

/** Removes a target and its arches; NotFoundError when it does not exist. */
export async function deleteTarget(em: EntityManager, id: number): Promise<void> {
  const row = await loadTargetRow(em, id);
  em.remove(row);
  await em.flush();
}
