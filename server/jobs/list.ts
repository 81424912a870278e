import type { EntityManager } from "@mikro-orm/sqlite";
import { JobEntity } from "../store/entities/job.js";
import type { Job, JobState } from "./job.js";
import { loadJob, toJob } from "./rows.js";

/** Default page size, as for targets. */
export const DEFAULT_JOB_LIMIT = 25;

/** Largest page a caller may ask for. */
export const MAX_JOB_LIMIT = 1000;

/** Filters for {@link listJobs}; empty values mean "any". */
export interface JobListFilter {
  readonly targetId?: number;
  readonly arch?: string;
  readonly states?: readonly JobState[];
  readonly agent?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** One page of jobs, newest first, and the number matching over all pages. */
export async function listJobs(em: EntityManager, filter: JobListFilter): Promise<{ jobs: Job[]; total: number }> {
  const where = {
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.arch ? { arch: filter.arch } : {}),
    ...(filter.states?.length ? { state: { $in: [...filter.states] } } : {}),
    ...(filter.agent ? { agent: filter.agent } : {}),
  };
  const [rows, total] = await em.findAndCount(JobEntity, where, {
    orderBy: { id: "desc" },
    limit: Math.min(filter.limit || DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT),
    offset: filter.offset ?? 0,
    disableIdentityMap: true,
  });
  return { jobs: rows.map(toJob), total };
}

/** One job by id; NotFoundError when it does not exist. */
export function getJob(em: EntityManager, id: number): Promise<Job> {
  return loadJob(em, id);
}
