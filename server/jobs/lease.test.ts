/** The agent side after a claim: start, finish, lease renewal and expiry. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FailedPreconditionError, PermissionDeniedError } from "../../lib/errors.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { cancelJob } from "./cancel.js";
import { claimNextJob } from "./claim.js";
import { IllegalJobTransitionError } from "./errors.js";
import { expireLeases, extendLease } from "./lease.js";
import { addJob, addTarget, jobsEnv } from "./testing/fixtures.js";
import { finishJob, startJob } from "./transition.js";

let ctx: TestContext;
let jobId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  await addJob(ctx, (await addTarget(ctx)).id);
  jobId = (await claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: "a", leaseSeconds: 30 }))!.id;
});
afterEach(async () => {
  await ctx.dispose();
});

describe("startJob / finishJob", () => {
  it("records start and end times and the cause", async () => {
    ctx.clock.advance(5000);
    const running = await startJob(jobsEnv(ctx), jobId, "a");
    expect(running).toMatchObject({ state: "running", startedAt: ctx.clock.now() });
    ctx.clock.advance(5000);
    const cause = { step: "build" as const, exitCode: 2, message: "makepkg failed", lastLines: ["==> ERROR", "x"] };
    const failed = await finishJob(jobsEnv(ctx), jobId, "a", "failed", cause);
    expect(failed).toMatchObject({ state: "failed", endedAt: ctx.clock.now(), cause, leaseExpiresAt: undefined });
  });

  it("stores no cause for success", async () => {
    await startJob(jobsEnv(ctx), jobId, "a");
    expect((await finishJob(jobsEnv(ctx), jobId, "a", "succeeded")).cause).toBeUndefined();
  });

  it("refuses another agent and illegal moves", async () => {
    await expect(startJob(jobsEnv(ctx), jobId, "b")).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(finishJob(jobsEnv(ctx), jobId, "a", "skipped")).rejects.toBeInstanceOf(IllegalJobTransitionError);
    await startJob(jobsEnv(ctx), jobId, "a");
    await expect(startJob(jobsEnv(ctx), jobId, "a")).rejects.toBeInstanceOf(IllegalJobTransitionError);
  });

  it("keeps the cancel request's reason when the agent reports the cancellation", async () => {
    await startJob(jobsEnv(ctx), jobId, "a");
    await cancelJob(jobsEnv(ctx), jobId, "stop it");
    const done = await finishJob(jobsEnv(ctx), jobId, "a", "cancelled");
    expect(done.cause).toEqual({ message: "stop it", lastLines: [] });
  });
});

describe("extendLease / expireLeases", () => {
  it("renews the lease and tells the agent about a cancel request", async () => {
    ctx.clock.advance(20_000);
    const renewed = await extendLease(jobsEnv(ctx), jobId, "a", 30);
    expect(renewed.leaseExpiresAt).toEqual(new Date(ctx.clock.now().getTime() + 30_000));
    expect(renewed.cancelRequestedAt).toBeUndefined();
    await cancelJob(jobsEnv(ctx), jobId);
    expect((await extendLease(jobsEnv(ctx), jobId, "a", 30)).cancelRequestedAt).toEqual(ctx.clock.now());
    await expect(extendLease(jobsEnv(ctx), jobId, "b", 30)).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("declares a job lost once its lease has expired, not before", async () => {
    ctx.clock.advance(30_000);
    expect(await expireLeases(jobsEnv(ctx))).toEqual([]);
    ctx.clock.advance(1);
    const watcher = ctx.jobEvents.subscribe({ jobId });
    const [lost] = await expireLeases(jobsEnv(ctx));
    expect(lost).toMatchObject({ id: jobId, state: "lost", cause: { step: "agent_lost" } });
    expect((await watcher.next()).value.state).toBe("lost");
    // The agent comes back too late: its reports are refused.
    await expect(extendLease(jobsEnv(ctx), jobId, "a", 30)).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(finishJob(jobsEnv(ctx), jobId, "a", "succeeded")).rejects.toBeInstanceOf(IllegalJobTransitionError);
  });
});
