import type { EntityManager } from "@mikro-orm/sqlite";
import type { Job } from "../jobs/index.js";
import { getBuildSource } from "../targets/index.js";

/** Everything an agent needs to build one job. */
export interface BuildSpec {
  readonly kind: string;
  readonly url: string;
  readonly branch: string;
  readonly path: string;
  readonly repo: string;
  readonly baseImage: string;
  readonly timeoutSeconds: number;
}

/** Server defaults a target may override. */
export interface BuildDefaults {
  readonly baseImage: string;
  readonly timeoutSeconds: number;
}

/** The build spec of a job, from its target and the server defaults. */
export async function buildSpecFor(em: EntityManager, job: Job, defaults: BuildDefaults): Promise<BuildSpec> {
  const target = await getBuildSource(em, job.targetId);
  return {
    kind: target.kind,
    url: target.url,
    branch: target.branch,
    path: target.path,
    repo: target.repo,
    baseImage: target.baseImage || defaults.baseImage,
    timeoutSeconds: target.buildTimeoutSeconds || defaults.timeoutSeconds,
  };
}
