/** The queue's hand-out rule: per arch, due only, oldest first, fair across targets, exclusive. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { claimNextJob, claimQueuedJob, yieldPairTurn } from "./claim.js";
import type { Job } from "./job.js";
import { getJob, listJobs } from "./list.js";
import { loadJob } from "./rows.js";
import { finishJob, startJob } from "./transition.js";
import { addJob, addTarget, forceState, jobsEnv } from "./testing/fixtures.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const claim = (arch = "x86_64", agent = "agent-1") => claimNextJob(jobsEnv(ctx), { arch, agent, leaseSeconds: 60 });

/** Builds a dispatched job to success. */
async function build(id: number, agent = "agent-1") {
  await startJob(jobsEnv(ctx), id, agent);
  await finishJob(jobsEnv(ctx), id, agent, "succeeded");
}

/** Queues a job for a target, one second after the previous one. */
async function queue(targetId: number, arch = "x86_64") {
  ctx.clock.advance(1000);
  return addJob(ctx, targetId, { arch });
}

describe("claimNextJob", () => {
  it("dispatches with agent, time and lease, and publishes the change", async () => {
    const target = await addTarget(ctx);
    const job = await queue(target.id);
    const events = ctx.jobEvents.subscribe({});
    const claimed = await claim("x86_64", "builder-a");
    expect(claimed).toMatchObject({ id: job.id, state: "dispatched", agent: "builder-a" });
    expect(claimed?.dispatchedAt).toEqual(ctx.clock.now());
    expect(claimed?.leaseExpiresAt).toEqual(new Date(ctx.clock.now().getTime() + 60_000));
    expect((await events.next()).value).toMatchObject({ id: job.id, state: "dispatched" });
  });

  it("hands out nothing that is not due, not queued or for another arch", async () => {
    const target = await addTarget(ctx, { arches: ["x86_64", "aarch64"] });
    await addJob(ctx, target.id, { dueAt: new Date(ctx.clock.now().getTime() + 60_000) });
    await forceState(ctx, await addJob(ctx, target.id, { arch: "aarch64" }), "cancelled");
    expect(await claim()).toBeUndefined();
    expect(await claim("aarch64")).toBeUndefined();
    ctx.clock.advance(60_000);
    expect((await claim())?.state).toBe("dispatched");
  });

  it("takes the oldest job first, across targets", async () => {
    const [a, b, c] = [await addTarget(ctx), await addTarget(ctx), await addTarget(ctx)];
    const jobs = [await queue(b.id), await queue(c.id), await queue(a.id)];
    const order = [(await claim())?.id, (await claim())?.id, (await claim())?.id];
    expect(order).toEqual(jobs.map((j) => j.id));
    expect(await claim()).toBeUndefined();
  });

  it("never hands out a job whose target×arch is dispatched or running", async () => {
    const target = await addTarget(ctx, { arches: ["x86_64", "aarch64"] });
    const first = await queue(target.id);
    const second = await queue(target.id);
    const other = await queue(target.id, "aarch64");
    expect((await claim())?.id).toBe(first.id);
    expect(await claim()).toBeUndefined();
    expect((await claim("aarch64"))?.id).toBe(other.id);
    await startJob(jobsEnv(ctx), first.id, "agent-1");
    expect(await claim()).toBeUndefined();
    await finishJob(jobsEnv(ctx), first.id, "agent-1", "succeeded");
    expect((await claim())?.id).toBe(second.id);
  });

  it("is fair: a target's backlog goes behind jobs queued while it was being served", async () => {
    const [a, b] = [await addTarget(ctx), await addTarget(ctx)];
    const a1 = await queue(a.id);
    const a2 = await queue(a.id);
    const a3 = await queue(a.id);
    const served: number[] = [];
    const serve = async () => {
      const job = (await claim())!;
      served.push(job.id);
      return job;
    };
    const first = await serve(); // a1
    const b1 = await queue(b.id); // queued while a1 builds, after a2 and a3
    await build(first.id);
    ctx.clock.advance(1000);
    const second = await serve(); // a2: still older than b1 (a was last served before b1 was queued)
    await build(second.id);
    ctx.clock.advance(1000);
    await serve(); // b1: a's backlog was pushed behind it when a2 was served
    await serve(); // a3
    expect(served).toEqual([a1.id, a2.id, b1.id, a3.id]);
  });

  it("is exclusive under concurrent claims: each job once, one per target×arch", async () => {
    const targets = await Promise.all(Array.from({ length: 12 }, () => addTarget(ctx)));
    // The oldest three share a target×arch, so racing claimers collide on
    // both the same job and the same pair.
    const busy = targets[0]!;
    await queue(busy.id);
    await queue(busy.id);
    for (const t of targets) await queue(t.id);
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: `agent-${i}`, leaseSeconds: 60 }),
      ),
    );
    const got = claims.filter((j) => j !== undefined);
    expect(got).toHaveLength(12);
    expect(new Set(got.map((j) => j.id)).size).toBe(12);
    expect(new Set(got.map((j) => j.targetId)).size).toBe(12);
  });

  it("queues a scheduled run's successor with the claim, and publishes both as stored", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    // The 00:05 run waited until 00:17:40: the runs it missed collapse into it.
    ctx.clock.set(new Date("2026-01-01T00:17:40Z"));
    const events = ctx.jobEvents.subscribe({});
    const claimed = await claim();
    expect(claimed).toMatchObject({
      reason: "scheduled",
      state: "dispatched",
      dueAt: new Date("2026-01-01T00:05:00Z"),
    });
    expect((await events.next()).value).toEqual(claimed);
    const successor = (await events.next()).value;
    expect(successor).toMatchObject({ targetId: target.id, reason: "scheduled", state: "queued" });
    expect(successor.dueAt).toEqual(new Date("2026-01-01T00:20:00Z"));
    expect(successor).toEqual(await loadJob(jobsEnv(ctx).em, successor.id));
    // Nothing is left for the scheduler's pass, and the successor waits for its time.
    const flagged = await jobsEnv(ctx).em.getConnection().execute("select id from job where needs_successor = 1");
    expect(flagged).toEqual([]);
    expect(await claim()).toBeUndefined();
  });

  it("queues exactly one successor per taken run when claims race", async () => {
    const targets = await Promise.all(Array.from({ length: 4 }, () => addTarget(ctx, { schedule: "*/5 *" })));
    ctx.clock.set(new Date("2026-01-01T00:05:30Z"));
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: `agent-${i}`, leaseSeconds: 60 }),
      ),
    );
    expect(claims.filter((j) => j !== undefined)).toHaveLength(4);
    for (const t of targets) {
      const { jobs } = await listJobs(jobsEnv(ctx).em, { targetId: t.id });
      expect(jobs.map((j) => `${j.state} ${j.dueAt.toISOString()}`)).toEqual([
        "queued 2026-01-01T00:10:00.000Z",
        "dispatched 2026-01-01T00:05:00.000Z",
      ]);
    }
  });

  it("queues no successor after a manual job", async () => {
    const target = await addTarget(ctx);
    await queue(target.id);
    const before = (await listJobs(jobsEnv(ctx).em, { targetId: target.id })).total;
    expect((await claim())?.reason).toBe("manual");
    expect((await listJobs(jobsEnv(ctx).em, { targetId: target.id })).total).toBe(before);
  });

  it("leaves the pair guard to the database: a second active job of a pair is refused", async () => {
    const target = await addTarget(ctx);
    await forceState(ctx, await queue(target.id), "running");
    await expect(forceState(ctx, await queue(target.id), "dispatched")).rejects.toThrow(/UNIQUE/);
  });
});

describe("claimQueuedJob", () => {
  const claimThis = (job: Job, agent = "agent-1") =>
    claimQueuedJob(jobsEnv(ctx), job, { arch: job.arch, agent, leaseSeconds: 60 });

  it("dispatches the job it is given, with agent, time and lease, publishing nothing", async () => {
    const target = await addTarget(ctx);
    const older = await queue(target.id, "aarch64");
    const job = await queue((await addTarget(ctx)).id);
    const events = ctx.jobEvents.subscribe({});
    const claimed = await claimThis(job, "builder-a");
    expect(claimed).toMatchObject({ id: job.id, state: "dispatched", agent: "builder-a" });
    expect(claimed?.leaseExpiresAt).toEqual(new Date(ctx.clock.now().getTime() + 60_000));
    expect((await getJob(ctx.store.em.fork(), job.id)).state).toBe("dispatched");
    expect((await getJob(ctx.store.em.fork(), older.id)).state).toBe("queued");
    events.return?.();
  });

  it("refuses a job that is not due, no longer queued, or whose target×arch is busy", async () => {
    const target = await addTarget(ctx);
    const later = await addJob(ctx, target.id, { dueAt: new Date(ctx.clock.now().getTime() + 60_000) });
    expect(await claimThis(later)).toBeUndefined();
    const first = await queue(target.id);
    expect((await claimThis(first))?.state).toBe("dispatched");
    expect(await claimThis(first, "agent-2")).toBeUndefined(); // taken: the caller's copy is stale
    const second = await queue(target.id);
    expect(await claimThis(second)).toBeUndefined(); // first holds the pair
    ctx.clock.advance(60_000);
    expect(await claimThis(later)).toBeUndefined(); // due now, but the pair is still busy
    expect((await getJob(ctx.store.em.fork(), second.id)).state).toBe("queued");
  });

  it("flags a scheduled run it takes (no row to compute the successor from) for the scheduler's pass", async () => {
    const target = await addTarget(ctx, { schedule: "*/5 *" });
    const [run] = (await listJobs(ctx.store.em.fork(), { targetId: target.id, limit: 10, offset: 0 })).jobs;
    expect(run).toMatchObject({ reason: "scheduled", state: "queued" });
    ctx.clock.set(run!.dueAt);
    expect((await claimThis(run!))?.state).toBe("dispatched");
    const flagged = await jobsEnv(ctx).em.getConnection().execute("select id from job where needs_successor = 1");
    expect(flagged).toEqual([{ id: run!.id }]);
  });

  it("keeps fairness when followed by yieldPairTurn", async () => {
    const [a, b] = [await addTarget(ctx), await addTarget(ctx)];
    const a1 = await queue(a.id);
    const a2 = await queue(a.id);
    const b1 = await queue(b.id);
    ctx.clock.advance(1000);
    const taken = (await claimThis(a1))!;
    // a's backlog goes behind b1, queued before a was served (without it a2 would be next).
    await yieldPairTurn(jobsEnv(ctx), taken);
    await build(taken.id);
    ctx.clock.advance(1000);
    expect((await claim())?.id).toBe(b1.id);
    expect((await claim())?.id).toBe(a2.id);
  });
});
