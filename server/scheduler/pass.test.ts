/** Scheduling passes: due slots become jobs, one pending per target×arch, missed runs collapse. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimNextJob, listJobs } from "../jobs/index.js";
import { addTarget, jobsEnv } from "../jobs/testing/fixtures.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { runSchedulingPass } from "./pass.js";
import { nextRunsOf } from "./slots.js";

let ctx: TestContext;
beforeEach(async () => {
  // The manual clock starts at 2026-01-01T00:00Z; the global schedule is "0 3".
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const at = (iso: string) => ctx.clock.set(new Date(iso));
const pass = () => runSchedulingPass(jobsEnv(ctx));
const queuedScheduled = async (targetId: number) =>
  (await listJobs(jobsEnv(ctx).em, { targetId, states: ["queued"] })).jobs.filter((j) => j.reason === "scheduled");

describe("runSchedulingPass", () => {
  it("creates a scheduled job per arch once the slot is due, and moves the slot on", async () => {
    const target = await addTarget(ctx, { arches: ["x86_64", "aarch64"] });
    expect(await nextRunsOf(jobsEnv(ctx).em, target.id)).toEqual(
      new Map([
        ["x86_64", new Date("2026-01-01T03:00:00Z")],
        ["aarch64", new Date("2026-01-01T03:00:00Z")],
      ]),
    );
    at("2026-01-01T02:59:59Z");
    expect((await pass()).queued).toEqual([]);
    at("2026-01-01T03:00:04Z");
    const watcher = ctx.jobEvents.subscribe({ targetId: target.id });
    const { queued } = await pass();
    expect(queued.map((j) => [j.arch, j.reason, j.state, j.force, j.dueAt.toISOString()])).toEqual([
      ["x86_64", "scheduled", "queued", false, "2026-01-01T03:00:00.000Z"],
      ["aarch64", "scheduled", "queued", false, "2026-01-01T03:00:00.000Z"],
    ]);
    expect((await watcher.next()).value.id).toBe(queued[0]!.id);
    expect((await nextRunsOf(jobsEnv(ctx).em, target.id)).get("x86_64")).toEqual(new Date("2026-01-02T03:00:00Z"));
    expect((await pass()).queued).toEqual([]);
  });

  it("keeps at most one pending scheduled job per target×arch while no agent takes it", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    for (let minute = 5; minute <= 60; minute += 5) {
      ctx.clock.set(new Date(Date.UTC(2026, 0, 1, 0, minute, 1)));
      await pass();
    }
    const pending = await queuedScheduled(target.id);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.dueAt).toEqual(new Date("2026-01-01T00:05:00Z"));
    // Once an agent takes it, the next occurrence queues a new one.
    await claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: "a", leaseSeconds: 60 });
    at("2026-01-01T01:05:01Z");
    expect((await pass()).queued.map((j) => j.dueAt)).toEqual([new Date("2026-01-01T01:05:00Z")]);
  });

  it("collapses runs missed while no pass ran into one, then continues from now", async () => {
    const target = await addTarget(ctx, { schedule: "0 */2" });
    at("2026-01-04T13:30:00Z");
    const { queued, dueSlots } = await pass();
    expect(dueSlots).toBe(1);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.dueAt).toEqual(new Date("2026-01-01T02:00:00Z"));
    expect((await nextRunsOf(jobsEnv(ctx).em, target.id)).get("x86_64")).toEqual(new Date("2026-01-04T14:00:00Z"));
  });

  it("uses the target's schedule over the global one, in the configured time zone", async () => {
    await ctx.dispose();
    ctx = await createTestContext({ time_zone: "Europe/Berlin", global_schedule: "0 3" });
    const own = await addTarget(ctx, { schedule: "30 1" });
    const global = await addTarget(ctx);
    const next = async (id: number) => (await nextRunsOf(jobsEnv(ctx).em, id)).get("x86_64");
    expect(await next(own.id)).toEqual(new Date("2026-01-01T00:30:00Z"));
    expect(await next(global.id)).toEqual(new Date("2026-01-01T02:00:00Z"));
  });
});
