/** The timed driver: start reconciles and runs a pass, toad-scheduler repeats it, stop ends it. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cancelJob, listJobs } from "../jobs/index.js";
import { addTarget, jobsEnv } from "../jobs/testing/fixtures.js";
import { JobEntity } from "../store/entities/job.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { nextRunsOf } from "./schedule-target.js";
import { type Scheduler, createScheduler } from "./scheduler.js";

let ctx: TestContext;
let scheduler: Scheduler;
beforeEach(async () => {
  // Only the interval timer is faked: the database's own I/O keeps real time.
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  ctx = await createTestContext();
  scheduler = createScheduler({
    store: ctx.store,
    clock: ctx.clock,
    events: ctx.jobEvents,
    settings: { globalSchedule: "0 3", timeZone: "UTC" },
    logger: ctx.logger,
    intervalSeconds: 10,
  });
});
afterEach(async () => {
  await scheduler.stop();
  vi.useRealTimers();
  await ctx.dispose();
});

describe("createScheduler", () => {
  it("reconciles and runs a pass at start, then one per interval until stopped", async () => {
    const target = await addTarget(ctx, { schedule: "* *" });
    // As after an upgrade: the target has no next run yet.
    await ctx.store.em.fork().nativeDelete(JobEntity, { targetId: target.id });
    ctx.clock.set(new Date("2026-01-01T00:01:00Z"));
    // The database pool may hold an interval of its own.
    const otherTimers = vi.getTimerCount();
    const { reconciled } = await scheduler.start();
    expect(reconciled.created).toBe(1);
    expect((await nextRunsOf(jobsEnv(ctx).em, target.id)).get("x86_64")).toEqual(new Date("2026-01-01T00:02:00Z"));
    expect(vi.getTimerCount()).toBe(otherTimers + 1);

    const watcher = ctx.jobEvents.subscribe({ targetId: target.id });
    ctx.clock.set(new Date("2026-01-01T00:02:10Z"));
    const [pending] = (await listJobs(jobsEnv(ctx).em, { targetId: target.id, states: ["queued"] })).jobs;
    await cancelJob(jobsEnv(ctx), pending!.id);
    expect((await watcher.next()).value.state).toBe("cancelled");
    // The interval's pass queues the run after the one a user cancelled.
    vi.advanceTimersByTime(10_000);
    expect((await watcher.next()).value).toMatchObject({
      reason: "scheduled",
      state: "queued",
      dueAt: new Date("2026-01-01T00:03:00Z"),
    });

    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(otherTimers);
  });

  it("joins a pass in progress instead of running two at once", async () => {
    const a = scheduler.runPass();
    const b = scheduler.runPass();
    expect(a).toBe(b);
    await a;
  });
});
