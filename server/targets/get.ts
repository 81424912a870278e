import type { EntityManager } from "@mikro-orm/sqlite";
import { NotFoundError } from "../../lib/errors.js";
import { sql } from "../store/sql.js";
import { loadTargetRow, toTarget } from "./rows.js";
import type { Target, TargetKind } from "./target.js";

/** One target by id; NotFoundError when it does not exist. */
export async function getTarget(em: EntityManager, id: number): Promise<Target> {
  return toTarget(await loadTargetRow(em, id));
}

/** What building a target needs: a target without its arches and times. */
export type BuildSource = Pick<
  Target,
  "kind" | "url" | "branch" | "path" | "repo" | "baseImage" | "buildTimeoutSeconds"
>;

/**
 * A target's build source in one lean query (no arches, no ORM hydration):
 * every dispatch reads one. NotFoundError when the target does not exist.
 */
export async function getBuildSource(em: EntityManager, id: number): Promise<BuildSource> {
  const row = (await sql(em)("target")
    .first("kind", "url", "branch", "path", "repo", "base_image", "build_timeout_seconds")
    .where("id", id)) as Record<string, unknown> | undefined;
  if (!row) throw new NotFoundError(`target ${id} does not exist`);
  return {
    kind: row.kind as TargetKind,
    url: row.url as string,
    branch: row.branch as string,
    path: row.path as string,
    repo: row.repo as string,
    baseImage: row.base_image as string,
    buildTimeoutSeconds: Number(row.build_timeout_seconds),
  };
}
