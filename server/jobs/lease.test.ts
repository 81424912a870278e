/** The agent side after a claim: start, finish, lease renewal and expiry. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FailedPreconditionError, PermissionDeniedError } from "../../lib/errors.js";
import { deleteTarget } from "../targets/index.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { cancelJob } from "./cancel.js";
import { claimNextJob } from "./claim.js";
import { IllegalJobTransitionError } from "./errors.js";
import { expireLeases, extendLease } from "./lease.js";
import { addJob, addTarget, jobsEnv } from "./testing/fixtures.js";
import { retryJob } from "./retry.js";
import { loadJob } from "./rows.js";
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

  it("declares a job lost once its lease has expired, not before, and re-queues it", async () => {
    ctx.clock.advance(30_000);
    expect(await expireLeases(jobsEnv(ctx), 1)).toEqual({ ended: [], requeued: [] });
    ctx.clock.advance(1);
    const watcher = ctx.jobEvents.subscribe({});
    const { ended, requeued } = await expireLeases(jobsEnv(ctx), 1);
    expect(ended).toMatchObject([{ id: jobId, state: "lost", cause: { step: "agent_lost", transient: true } }]);
    expect(ended[0]!.cause?.message).toBe('agent "a" stopped renewing its lease; re-queued (1 of 1)');
    expect(requeued).toMatchObject([{ state: "queued", reason: "retry", retryOfId: jobId, attempt: 2 }]);
    expect((await watcher.next()).value).toMatchObject({ id: jobId, state: "lost" });
    expect((await watcher.next()).value).toMatchObject({ id: requeued[0]!.id, state: "queued" });
    // The agent comes back too late: its reports are refused.
    await expect(extendLease(jobsEnv(ctx), jobId, "a", 30)).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(finishJob(jobsEnv(ctx), jobId, "a", "succeeded")).rejects.toBeInstanceOf(IllegalJobTransitionError);
  });
});

describe("expireLeases: the max_lost_requeues budget of a retry chain", () => {
  /** Lets the held job's lease run out, and sweeps. */
  async function loseLease(maxLostRequeues: number) {
    ctx.clock.advance(30_001);
    return expireLeases(jobsEnv(ctx), maxLostRequeues);
  }
  const claim = (agent: string) => claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent, leaseSeconds: 30 });

  it("ends a running job failed (agent_lost) once the chain was re-queued max_lost_requeues times", async () => {
    await loseLease(2);
    expect((await claim("b"))!.attempt).toBe(2);
    const second = await loseLease(2);
    expect(second.ended.map((j) => [j.state, j.cause?.message])).toEqual([
      ["lost", 'agent "b" stopped renewing its lease; re-queued (2 of 2)'],
    ]);
    const third = (await claim("c"))!;
    await startJob(jobsEnv(ctx), third.id, "c");
    const { ended, requeued } = await loseLease(2);
    expect(requeued).toEqual([]);
    expect(ended).toMatchObject([{ id: third.id, state: "failed", attempt: 3, endedAt: ctx.clock.now() }]);
    expect(ended[0]!.cause).toEqual({
      step: "agent_lost",
      message:
        'agent "c" stopped renewing its lease; it was already re-queued 2 times after losing its agent (max_lost_requeues 2)',
      lastLines: [],
      transient: true,
    });
    // Nothing was re-queued, and the agent's late report is refused.
    expect(await claim("d")).toBeUndefined();
    await expect(finishJob(jobsEnv(ctx), third.id, "c", "succeeded")).rejects.toBeInstanceOf(IllegalJobTransitionError);
  });

  it("fails a dispatched job at once when max_lost_requeues is 0", async () => {
    const { ended, requeued } = await loseLease(0);
    expect(requeued).toEqual([]);
    expect(ended).toMatchObject([{ id: jobId, state: "failed", attempt: 1 }]);
    expect(ended[0]!.cause?.message).toBe(
      'agent "a" stopped renewing its lease; lost jobs are not re-queued (max_lost_requeues 0)',
    );
  });

  it("counts only losses: a chain retried for other causes still gets its re-queue", async () => {
    // Attempt 1 failed on the container engine and was retried (by the transient budget).
    await startJob(jobsEnv(ctx), jobId, "a");
    await finishJob(jobsEnv(ctx), jobId, "a", "failed", { step: "infrastructure", message: "engine", lastLines: [] });
    await retryJob(jobsEnv(ctx), jobId);
    expect((await claim("b"))!.attempt).toBe(2);
    const { ended, requeued } = await loseLease(1);
    expect(ended.map((j) => j.state)).toEqual(["lost"]);
    expect(requeued.map((j) => j.attempt)).toEqual([3]);
  });

  it("loses a job whose target is gone without re-queuing it", async () => {
    const job = await loadJob(ctx.store.em.fork(), jobId);
    await deleteTarget(ctx.store.em.fork(), job.targetId, ctx.clock.now(), ctx.jobEvents);
    const { ended, requeued } = await loseLease(1);
    expect([ended.map((j) => j.state), requeued]).toEqual([["lost"], []]);
    expect(ended[0]!.cause?.message).toBe(
      `agent "a" stopped renewing its lease; not re-queued: target ${job.targetId} no longer exists`,
    );
  });
});
