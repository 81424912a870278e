/** Retention: exactly the logs started before now − max_log_age go, at start and on schedule. */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogRetention } from "./retention.js";
import { jobIn } from "./testing.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";

const DAY = 24 * 60 * 60 * 1000;

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.clock.set(new Date("2026-03-10T12:00:00Z"));
});
afterEach(async () => {
  await ctx.dispose();
});

/** A closed log whose build started `ageMs` before the clock's now. */
async function logAged(ageMs: number): Promise<number> {
  const job = await jobIn(ctx, "running");
  const startedAt = new Date(ctx.clock.now().getTime() - ageMs);
  await ctx.logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "a", startedAt });
  await ctx.logs.appendLog(job.id, Buffer.from(`log of job ${job.id}\n`));
  return (await ctx.logs.closeLog(job.id, { result: "succeeded", exitCode: 0 })).id;
}

async function remaining(): Promise<number[]> {
  return (await ctx.logs.listLogs({ limit: 1000 })).logs.map((l) => l.id).sort((a, b) => a - b);
}

describe("log retention", () => {
  it("removes exactly the logs started before the cutoff, at start and then on schedule", async () => {
    const settings = { maxLogAgeDays: 7, schedule: "0 0", timeZone: "UTC" };
    const old = await logAged(7 * DAY + 1);
    const ancient = await logAged(400 * DAY);
    const atCutoff = await logAged(7 * DAY); // not strictly older: kept
    const young = await logAged(DAY);
    const running = await jobIn(ctx, "running");
    await ctx.logs.openLog(running.id, {
      targetId: 1,
      arch: "x86_64",
      agent: "a",
      startedAt: new Date(ctx.clock.now().getTime() - 30 * DAY),
    });
    // A row whose file is already gone is removed all the same.
    await ctx.logs.settled();
    rmSync(join(ctx.dataDir, "logs", `${(await ctx.logs.getLog(ancient)).jobId}.log.gz`));

    const retention = createLogRetention({ ...ctx, settings });
    expect(await retention.start()).toEqual({ removed: 2, failed: 0 });
    const openLog = (await ctx.logs.findLogOfJob(running.id))!.id;
    expect(await remaining()).toEqual([atCutoff, young, openLog].sort((a, b) => a - b));
    expect(await ctx.logs.getLog(old).catch((e: Error) => e.message)).toBe(`log ${old} does not exist`);
    expect(retention.nextRunAt).toEqual(new Date("2026-03-11T00:00:00Z"));

    // Before the next occurrence nothing runs; at it, the cutoff has moved on.
    ctx.clock.set(new Date("2026-03-10T23:59:00Z"));
    expect(await retention.tick()).toBeUndefined();
    ctx.clock.set(new Date("2026-03-11T00:00:30Z"));
    expect(await retention.tick()).toEqual({ removed: 1, failed: 0 }); // atCutoff is now 7 days and 12 h old
    expect(await remaining()).toEqual([young, openLog].sort((a, b) => a - b));
    expect(retention.nextRunAt).toEqual(new Date("2026-03-12T00:00:00Z"));
    await retention.stop();
  });

  it("keeps everything with max_log_age 0", async () => {
    const a = await logAged(1000 * DAY);
    const retention = createLogRetention({ ...ctx, settings: { maxLogAgeDays: 0, schedule: "0 0", timeZone: "UTC" } });
    expect(await retention.start()).toBeUndefined();
    expect(retention.nextRunAt).toBeUndefined();
    expect(await remaining()).toEqual([a]);
    await retention.stop();
  });
});
