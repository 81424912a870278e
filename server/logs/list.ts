/**
 * Listing logs with Vieter's filters, fixing its exit-code bug: Vieter OR-ed
 * every `N` and `!N` item, so `!1,!2` matched everything. Here includes are
 * OR-ed among themselves, excludes AND-ed, and the two groups AND-ed.
 */
import type { FilterQuery } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/sqlite";
import { InvalidArgumentError } from "../../lib/errors.js";
import { BuildLogEntity, type BuildLogRow } from "../store/entities/build-log.js";
import type { LogResult } from "./log.js";

/** Default page size, as Vieter's. */
export const DEFAULT_LOG_LIMIT = 25;

/** Largest page a caller may ask for. */
export const MAX_LOG_LIMIT = 1000;

/** Filters for listing logs; unset or empty values mean "any". */
export interface LogFilter {
  readonly targetId?: number | undefined;
  readonly arch?: string | undefined;
  /** Only logs started strictly before this time. */
  readonly before?: Date | undefined;
  /** Only logs started strictly after this time. */
  readonly after?: Date | undefined;
  /** Only logs whose exit code is one of these. */
  readonly includeExitCodes?: readonly number[] | undefined;
  /**
   * Only logs whose exit code is none of these. A log without an exit code
   * (timed out, lost, still running) passes: `!0` means "did not succeed".
   */
  readonly excludeExitCodes?: readonly number[] | undefined;
  readonly results?: readonly LogResult[] | undefined;
  /** Page size; 0 or unset means {@link DEFAULT_LOG_LIMIT}. */
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** The rows of one page, newest first, and the number matching over all pages. */
export async function listLogRows(
  em: EntityManager,
  filter: LogFilter,
): Promise<{ rows: BuildLogRow[]; total: number }> {
  const limit = filter.limit || DEFAULT_LOG_LIMIT;
  if (limit > MAX_LOG_LIMIT) throw new InvalidArgumentError("limit", `${limit} is more than ${MAX_LOG_LIMIT}`);
  const [rows, total] = await em.findAndCount(BuildLogEntity, logWhere(filter), {
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    limit,
    offset: filter.offset ?? 0,
    disableIdentityMap: true,
  });
  return { rows, total };
}

/** The filter as a query; exported for tests of the semantics. */
export function logWhere(filter: LogFilter): FilterQuery<BuildLogRow> {
  const and: FilterQuery<BuildLogRow>[] = [];
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.arch) and.push({ arch: filter.arch });
  if (filter.before) and.push({ startedAt: { $lt: filter.before } });
  if (filter.after) and.push({ startedAt: { $gt: filter.after } });
  if (filter.includeExitCodes?.length) and.push({ exitCode: { $in: [...filter.includeExitCodes] } });
  // `exit_code NOT IN (…)` is NULL, not true, for a NULL code; say what we mean.
  if (filter.excludeExitCodes?.length)
    and.push({ $or: [{ exitCode: null }, { exitCode: { $nin: [...filter.excludeExitCodes] } }] });
  if (filter.results?.length) and.push({ result: { $in: [...filter.results] } });
  return and.length === 0 ? {} : { $and: and };
}
