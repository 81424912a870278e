import type { EntityManager } from "@mikro-orm/sqlite";
import { TargetEntity } from "../store/entities/target.js";
import { toTarget } from "./rows.js";
import type { Target } from "./target.js";

/** Default page size, as in Vieter. */
export const DEFAULT_TARGET_LIMIT = 25;

/** Filters for {@link listTargets}; empty values mean "any". */
export interface TargetFilter {
  readonly repo?: string;
  readonly arch?: string;
  /** Case-sensitive substring of url, path or branch. */
  readonly query?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** One page of targets ordered by id, and the number matching over all pages. */
export async function listTargets(
  em: EntityManager,
  filter: TargetFilter,
): Promise<{ targets: Target[]; total: number }> {
  const qb = em.createQueryBuilder(TargetEntity, "t");
  if (filter.repo) qb.andWhere({ repo: filter.repo });
  if (filter.arch) qb.andWhere("t.id in (select ta.target_id from target_arch ta where ta.arch = ?)", [filter.arch]);
  if (filter.query) {
    // Standard SQL LIKE with an explicit escape character, so % and _ in the
    // query match themselves on SQLite and PostgreSQL alike.
    const like = `%${filter.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere("(t.url like ? escape '\\' or t.path like ? escape '\\' or t.branch like ? escape '\\')", [
      like,
      like,
      like,
    ]);
  }
  const total = await qb.clone().getCount();
  const page = await qb
    .select("t.id")
    .orderBy({ id: "asc" })
    .limit(filter.limit || DEFAULT_TARGET_LIMIT)
    .offset(filter.offset ?? 0)
    .execute<{ id: number }[]>("all");
  const ids = page.map((r) => r.id);
  const rows =
    ids.length === 0
      ? []
      : await em.find(TargetEntity, { id: { $in: ids } }, { populate: ["arches"], orderBy: { id: "asc" } });
  return { targets: rows.map(toTarget), total };
}
