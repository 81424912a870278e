import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import { TargetEntity, type TargetRow } from "../store/entities/target.js";
import type { Target, TargetKind } from "./target.js";

/** The domain view of a stored target (arches must be loaded). */
export function toTarget(row: TargetRow): Target {
  return {
    id: row.id,
    kind: row.kind as TargetKind,
    url: row.url,
    branch: row.branch,
    path: row.path,
    repo: row.repo,
    arches: row.arches.getItems().map((a) => a.arch),
    schedule: row.schedule,
    buildTimeoutSeconds: row.buildTimeoutSeconds,
    baseImage: row.baseImage,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Loads a target row with its arches, or throws NotFoundError. */
export async function loadTargetRow(em: EntityManager, id: number): Promise<TargetRow> {
  const row = await em.findOne(TargetEntity, { id }, { populate: ["arches"] });
  if (!row) throw new NotFoundError(`target ${id} does not exist`);
  return row;
}
