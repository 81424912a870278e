/**
 * Next runs: each target×arch always has one queued scheduled job, due at
 * its next occurrence. The claim that takes it queues the run after it; a
 * pass queues the run after one a user cancelled (or one whose stored
 * schedule the claim could not evaluate). Missed periods collapse into the
 * job already waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cancelJob, claimNextJob, finishJob, listJobs, loadJobs, startJob } from "../jobs/index.js";
import { addTarget, jobsEnv } from "../jobs/testing/fixtures.js";
import { JobEntity } from "../store/entities/job.js";
import { deleteTarget } from "../targets/index.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { runSchedulingPass } from "./pass.js";
import { nextRunsOf } from "./schedule-target.js";

let ctx: TestContext;
beforeEach(async () => {
  // The manual clock starts at 2026-01-01T00:00Z; the global schedule is "0 3".
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const at = (iso: string) => ctx.clock.set(new Date(iso));
const settings = () => ({ globalSchedule: ctx.config.global_schedule, timeZone: ctx.config.time_zone });
const pass = () => runSchedulingPass(jobsEnv(ctx), settings());
const claim = (arch = "x86_64") => claimNextJob(jobsEnv(ctx), { arch, agent: "a", leaseSeconds: 600 });
const next = async (targetId: number) =>
  Object.fromEntries([...(await nextRunsOf(jobsEnv(ctx).em, targetId))].map(([a, d]) => [a, d.toISOString()]));
const scheduled = async (targetId: number) =>
  (await listJobs(jobsEnv(ctx).em, { targetId })).jobs
    .filter((j) => j.reason === "scheduled")
    .map((j) => `${j.arch} ${j.state} ${j.dueAt.toISOString()}`)
    .reverse();

describe("next runs", () => {
  it("are queued when a target is created, one per arch, and published", async () => {
    const watcher = ctx.jobEvents.subscribe({});
    const target = await addTarget(ctx, { arches: ["x86_64", "aarch64"] });
    expect(await next(target.id)).toEqual({ x86_64: "2026-01-01T03:00:00.000Z", aarch64: "2026-01-01T03:00:00.000Z" });
    expect((await watcher.next()).value).toMatchObject({ reason: "scheduled", state: "queued", force: false });
    // Not handed out before their time.
    at("2026-01-01T02:59:59Z");
    expect(await claim()).toBeUndefined();
    at("2026-01-01T03:00:00Z");
    expect((await claim())?.reason).toBe("scheduled");
  });

  it("after an agent takes one, the claim has queued the occurrence after it: the pass has nothing to do", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    expect((await pass()).taken).toBe(0);
    at("2026-01-01T00:05:02Z");
    await claim();
    expect(await scheduled(target.id)).toEqual([
      "x86_64 dispatched 2026-01-01T00:05:00.000Z",
      "x86_64 queued 2026-01-01T00:10:00.000Z",
    ]);
    expect(await pass()).toEqual({ queued: [], taken: 0 });
  });

  it("after a claim that cannot evaluate the schedule stored on the run, the pass queues from the target's", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    // A row written behind the API's back.
    await jobsEnv(ctx).em.nativeUpdate(JobEntity, { targetId: target.id, state: "queued" }, { schedule: "x 8" });
    at("2026-01-01T00:05:02Z");
    expect((await claim())?.reason).toBe("scheduled");
    expect(await scheduled(target.id)).toEqual(["x86_64 dispatched 2026-01-01T00:05:00.000Z"]);
    const { queued, taken } = await pass();
    expect([taken, queued.map((j) => j.dueAt.toISOString())]).toEqual([1, ["2026-01-01T00:10:00.000Z"]]);
    expect((await pass()).taken).toBe(0);
  });

  it("publish the queued runs exactly as the database holds them", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *", arches: ["x86_64", "aarch64"] });
    for (const job of (await listJobs(jobsEnv(ctx).em, { targetId: target.id })).jobs)
      await cancelJob(jobsEnv(ctx), job.id);
    const watcher = ctx.jobEvents.subscribe({});
    const { queued } = await pass();
    expect(queued).toHaveLength(2);
    expect(queued).toEqual(
      await loadJobs(
        jobsEnv(ctx).em,
        queued.map((j) => j.id),
      ),
    );
    expect([(await watcher.next()).value, (await watcher.next()).value]).toEqual(queued);
  });

  it("queue nothing after a skipped run whose target was deleted since, and clear its flag", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    const [pending] = (await listJobs(jobsEnv(ctx).em, { targetId: target.id })).jobs;
    await cancelJob(jobsEnv(ctx), pending!.id);
    await deleteTarget(jobsEnv(ctx).em, target.id, ctx.clock.now(), ctx.jobEvents);
    expect(await pass()).toEqual({ queued: [], taken: 1 });
    expect((await pass()).taken).toBe(0);
    expect(await scheduled(target.id)).toEqual(["x86_64 cancelled 2026-01-01T00:05:00.000Z"]);
  });

  it("deleting a target cancels the run its last claim queued", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    at("2026-01-01T00:05:02Z");
    await claim();
    await deleteTarget(jobsEnv(ctx).em, target.id, ctx.clock.now(), ctx.jobEvents);
    expect(await pass()).toEqual({ queued: [], taken: 0 });
    expect(await scheduled(target.id)).toEqual([
      "x86_64 dispatched 2026-01-01T00:05:00.000Z",
      "x86_64 cancelled 2026-01-01T00:10:00.000Z",
    ]);
  });

  it("collapse missed periods: one job waits however long no agent comes, then the run after the take", async () => {
    const target = await addTarget(ctx, { schedule: "0 */2" });
    at("2026-01-04T13:30:00Z");
    await pass();
    expect(await scheduled(target.id)).toEqual(["x86_64 queued 2026-01-01T02:00:00.000Z"]);
    await claim();
    await pass();
    expect(await next(target.id)).toEqual({ x86_64: "2026-01-04T14:00:00.000Z" });
  });

  it("a user cancelling the next run skips that occurrence only", async () => {
    const target = await addTarget(ctx);
    const [pending] = (await listJobs(jobsEnv(ctx).em, { targetId: target.id })).jobs;
    await cancelJob(jobsEnv(ctx), pending!.id);
    await pass();
    expect(await next(target.id)).toEqual({ x86_64: "2026-01-02T03:00:00.000Z" });
  });

  it("keep at most one pending scheduled job per target×arch", async () => {
    const target = await addTarget(ctx, { schedule: "* *" });
    for (let minute = 1; minute <= 5; minute++) {
      ctx.clock.set(new Date(Date.UTC(2026, 0, 1, 0, minute, 30)));
      const job = (await claim())!;
      await startJob(jobsEnv(ctx), job.id, "a");
      await finishJob(jobsEnv(ctx), job.id, "a", "succeeded");
      await pass();
      await pass();
    }
    // Each taken job got exactly one successor, due the minute after it.
    expect(await scheduled(target.id)).toEqual([
      ...[1, 2, 3, 4, 5].map((m) => `x86_64 succeeded 2026-01-01T00:0${m}:00.000Z`),
      "x86_64 queued 2026-01-01T00:06:00.000Z",
    ]);
  });

  it("use the target's schedule over the global one, in the configured time zone", async () => {
    await ctx.dispose();
    ctx = await createTestContext({ time_zone: "Europe/Berlin", global_schedule: "0 3" });
    const own = await addTarget(ctx, { schedule: "30 1" });
    const global = await addTarget(ctx);
    expect(await next(own.id)).toEqual({ x86_64: "2026-01-01T00:30:00.000Z" });
    expect(await next(global.id)).toEqual({ x86_64: "2026-01-01T02:00:00.000Z" });
  });
});
