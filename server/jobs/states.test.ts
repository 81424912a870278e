/** The job state machine: every legal move allowed, every other refused with a typed error. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FailedPreconditionError } from "../../lib/errors.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { IllegalJobTransitionError } from "./errors.js";
import { JOB_STATES, type JobState } from "./job.js";
import { loadJob } from "./rows.js";
import { FINAL_STATES, canTransition } from "./states.js";
import { addJob, addTarget, forceState, jobsEnv } from "./testing/fixtures.js";
import { applyTransition } from "./transition.js";

// The machine from the issue, written out independently of states.ts.
const LEGAL: Record<JobState, JobState[]> = {
  queued: ["dispatched", "cancelled"],
  dispatched: ["running", "failed", "cancelled", "lost"],
  running: ["succeeded", "failed", "skipped", "timed_out", "cancelled", "lost"],
  succeeded: [],
  failed: [],
  skipped: [],
  timed_out: [],
  cancelled: [],
  lost: [],
};
const ALL_PAIRS = JOB_STATES.flatMap((from) => JOB_STATES.map((to) => [from, to] as const));
const legal = ALL_PAIRS.filter(([from, to]) => LEGAL[from].includes(to));
const illegal = ALL_PAIRS.filter(([from, to]) => !LEGAL[from].includes(to));

describe("canTransition", () => {
  it.each(ALL_PAIRS)("%s → %s matches the table", (from, to) => {
    expect(canTransition(from, to)).toBe(LEGAL[from].includes(to));
  });

  it("has six final states", () => {
    expect([...FINAL_STATES].sort()).toEqual(["cancelled", "failed", "lost", "skipped", "succeeded", "timed_out"]);
  });
});

describe("stored transitions", () => {
  let ctx: TestContext;
  let targetId: number;
  beforeAll(async () => {
    ctx = await createTestContext();
    targetId = (await addTarget(ctx)).id;
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  async function jobIn(state: JobState) {
    // A target per job, so active jobs never share a target×arch.
    const target = await addTarget(ctx);
    return forceState(ctx, await addJob(ctx, target.id), state);
  }

  it.each(legal)("%s → %s is applied with its timestamp", async (from, to) => {
    const job = await jobIn(from);
    ctx.clock.advance(1000);
    const next = await applyTransition(jobsEnv(ctx).em, job, to, ctx.clock.now());
    expect(next?.state).toBe(to);
    if (to === "running") expect(next?.startedAt).toEqual(ctx.clock.now());
    if (FINAL_STATES.includes(to)) {
      expect(next?.endedAt).toEqual(ctx.clock.now());
      expect(next?.leaseExpiresAt).toBeUndefined();
    }
  });

  it.each(illegal)("%s → %s is refused and changes nothing", async (from, to) => {
    const job = await jobIn(from);
    const err = await applyTransition(jobsEnv(ctx).em, job, to, ctx.clock.now()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IllegalJobTransitionError);
    expect(err).toBeInstanceOf(FailedPreconditionError);
    expect(err).toMatchObject({ jobId: job.id, from, to, message: `job ${job.id} cannot go from ${from} to ${to}` });
    expect((await loadJob(jobsEnv(ctx).em, job.id)).state).toBe(from);
  });

  it("loses a race on a job that changed since it was read", async () => {
    const stale = await addJob(ctx, targetId);
    await forceState(ctx, stale, "cancelled");
    expect(await applyTransition(jobsEnv(ctx).em, stale, "dispatched", ctx.clock.now())).toBeUndefined();
  });
});
