/** Logs for jobs whose output never (fully) arrived, and the finalizer that guarantees one. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogFinalizer } from "./finalizer.js";
import { createLogs } from "./logs.js";
import { collect, jobIn, tick } from "./testing.js";
import { getJob } from "../jobs/index.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const text = async (id: number) => (await collect(ctx.logs.readContent(id))).toString();

describe("synthetic logs", () => {
  it("writes a log for a timed-out job that sent no output, saying what is known", async () => {
    const job = await jobIn(ctx, "timed_out", { agent: "agent-7" });
    const cause = { step: "timeout" as const, message: "build exceeded 3600 s; container killed", lastLines: [] };
    const log = await ctx.logs.writeSyntheticLog(job.id, "the agent killed the build container", "timed_out", cause);
    expect(log).toMatchObject({ jobId: job.id, agent: "agent-7", result: "timed_out", synthetic: true });
    expect(log.cause).toMatchObject({ step: "timeout", message: cause.message });
    const content = await text(log.id);
    expect(content).toContain(`No build output reached the server for job ${job.id}`);
    expect(content).toContain("result: timed_out (timeout; build exceeded 3600 s; container killed)");
    expect(content).toContain("the agent killed the build container\n");
    expect(log.size).toBe(Buffer.byteLength(content));
    await expect(ctx.logs.writeSyntheticLog(job.id, "again", "timed_out")).rejects.toThrow(/closed already/);
  });

  it("appends to and closes a log that had output", async () => {
    const job = await jobIn(ctx, "running");
    await ctx.logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "agent-1" });
    await ctx.logs.appendLog(job.id, Buffer.from("==> Making package\n"));
    const log = await ctx.logs.writeSyntheticLog(job.id, "container engine error: EOF", "failed", {
      step: "infrastructure",
      message: "container engine error",
      lastLines: [],
    });
    expect(log).toMatchObject({ result: "failed", synthetic: false });
    expect(await text(log.id)).toBe("==> Making package\n\n[vieter] container engine error: EOF\n");
  });

  it("refuses an active state as result and an unknown job", async () => {
    const job = await jobIn(ctx, "running");
    await expect(ctx.logs.writeSyntheticLog(job.id, "x", "running")).rejects.toThrow(/not a final job state/);
    await expect(ctx.logs.writeSyntheticLog(4242, "x", "failed")).rejects.toThrow(/job 4242 does not exist/);
  });
});

describe("the finalizer", () => {
  it("gives a lost job a log and closes a log its agent left open, after the grace period", async () => {
    const finalizer = createLogFinalizer({ ...ctx, graceMs: 500 });
    await finalizer.start();
    const lost = await jobIn(ctx, "lost", { cause: { step: "agent_lost", message: "lease expired" } });
    const open = await jobIn(ctx, "running");
    await ctx.logs.openLog(open.id, { targetId: 1, arch: "x86_64", agent: "agent-1" });
    await ctx.logs.appendLog(open.id, Buffer.from("building…\n"));
    const queuedThenCancelled = await jobIn(ctx, "cancelled", { agent: "" });

    const ended = await jobIn(ctx, "succeeded");
    await ctx.logs.openLog(ended.id, { targetId: 1, arch: "x86_64", agent: "agent-1" });
    await ctx.logs.closeLog(ended.id, { result: "succeeded", exitCode: 0 });

    const em = ctx.store.em.fork();
    await em.getConnection().execute(`update job set state = 'failed' where id = ${open.id}`);
    ctx.jobEvents.publish([lost, await getJob(em, open.id), queuedThenCancelled, await getJob(em, ended.id)]);
    await tick(10);
    expect(await ctx.logs.findLogOfJob(lost.id)).toBeUndefined(); // still within the grace period
    await vi.waitFor(async () => expect(await ctx.logs.findLogOfJob(open.id)).toMatchObject({ result: "failed" }), {
      timeout: 10_000,
    });
    await vi.waitFor(async () => expect(await ctx.logs.findLogOfJob(lost.id)).toBeDefined(), { timeout: 10_000 });

    const lostLog = await ctx.logs.findLogOfJob(lost.id);
    expect(lostLog).toMatchObject({ result: "lost", synthetic: true, cause: { step: "agent_lost" } });
    expect(await text(lostLog!.id)).toMatch(/result: lost \(agent_lost; lease expired\)/);
    const closed = await ctx.logs.findLogOfJob(open.id);
    expect(closed).toMatchObject({ result: "failed", synthetic: false });
    expect(await text(closed!.id)).toMatch(
      /^building…\n\n\[vieter\] the job ended as failed; the server closed its log\n$/,
    );
    expect(await ctx.logs.findLogOfJob(queuedThenCancelled.id)).toBeUndefined();
    expect(await ctx.logs.findLogOfJob(ended.id)).toMatchObject({ result: "succeeded", exitCode: 0 });
    await finalizer.stop();
  });

  it("closes at start the logs a restart left open whose job ended meanwhile", async () => {
    const job = await jobIn(ctx, "running");
    await ctx.logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "agent-1" });
    await ctx.logs.appendLog(job.id, Buffer.from("partial\n"));
    const still = await jobIn(ctx, "running");
    await ctx.logs.openLog(still.id, { targetId: 1, arch: "x86_64", agent: "agent-1" });
    await ctx.logs.shutdown();
    await ctx.store.em.fork().getConnection().execute(`update job set state = 'lost' where id = ${job.id}`);

    const logs = await createLogs({ ...ctx });
    const finalizer = createLogFinalizer({ ...ctx, logs });
    expect(await finalizer.start()).toBe(1);
    expect(await logs.findLogOfJob(job.id)).toMatchObject({ result: "lost", size: "partial\n".length });
    expect(await logs.findLogOfJob(still.id)).toMatchObject({ result: "running" });
    await finalizer.stop();
    await logs.shutdown();
  });
});
