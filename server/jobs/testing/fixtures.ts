/** Helpers for job and scheduler tests: an env over a test context, targets, jobs in a given state. */
import { JobEntity } from "../../store/entities/job.js";
import { createTarget, type Target } from "../../targets/index.js";
import type { TestContext } from "../../testing/app-context.js";
import type { JobsEnv } from "../env.js";
import { insertJob } from "../enqueue.js";
import type { Job, JobReason, JobState } from "../job.js";
import { loadJob, pairKey } from "../rows.js";
import { ACTIVE_STATES, isFinal } from "../states.js";

/** A jobs env over the context's database (a fresh fork each call), clock and notifier. */
export function jobsEnv(ctx: TestContext): JobsEnv {
  return { em: ctx.store.em.fork(), clock: ctx.clock, events: ctx.jobEvents };
}

/** Target settings from the context's config. */
export function targetDefaults(ctx: TestContext) {
  return {
    defaultArch: ctx.config.default_arch,
    globalSchedule: ctx.config.global_schedule,
    timeZone: ctx.config.time_zone,
  };
}

/** Creates a git target (scheduled like any other) at the context clock's time. */
export function addTarget(
  ctx: TestContext,
  over: { arches?: string[]; schedule?: string; url?: string } = {},
): Promise<Target> {
  return createTarget(
    ctx.store.em.fork(),
    {
      kind: "git",
      url: over.url ?? `https://example.com/${Math.random().toString(36).slice(2)}.git`,
      branch: "",
      path: "",
      repo: "main",
      arches: over.arches ?? ["x86_64"],
      schedule: over.schedule ?? "",
      buildTimeoutSeconds: 0,
      baseImage: "",
    },
    targetDefaults(ctx),
    ctx.clock.now(),
    ctx.jobEvents,
  );
}

/** Inserts a queued job due now (or at `dueAt`), without publishing. */
export function addJob(
  ctx: TestContext,
  targetId: number,
  over: { arch?: string; reason?: JobReason; dueAt?: Date; force?: boolean } = {},
): Promise<Job> {
  const now = ctx.clock.now();
  return insertJob(
    ctx.store.em.fork(),
    {
      targetId,
      arch: over.arch ?? "x86_64",
      force: over.force ?? false,
      reason: over.reason ?? "manual",
      dueAt: over.dueAt ?? now,
    },
    now,
  );
}

/** Forces a job into `state` with the columns that state implies (bypassing the state machine, for set-up only). */
export async function forceState(ctx: TestContext, job: Job, state: JobState, agent = "agent-1"): Promise<Job> {
  const em = ctx.store.em.fork();
  const now = ctx.clock.now();
  const active = ACTIVE_STATES.includes(state);
  await em.nativeUpdate(
    JobEntity,
    { id: job.id },
    {
      state,
      agent: state === "queued" ? "" : agent,
      activePair: active ? pairKey(job.targetId, job.arch) : null,
      pendingPair: state === "queued" && job.reason === "scheduled" ? pairKey(job.targetId, job.arch) : null,
      dispatchedAt: state === "queued" ? null : now,
      leaseExpiresAt: active ? new Date(now.getTime() + 60_000) : null,
      endedAt: isFinal(state) ? now : null,
    },
  );
  return loadJob(em, job.id);
}
