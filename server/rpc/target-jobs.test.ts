/** How target changes reach jobs and schedules: create schedules, edit/delete cancel queued jobs. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { claimNextJob } from "../jobs/index.js";
import { jobsEnv } from "../jobs/testing/fixtures.js";
import { nextRunsOf } from "../scheduler/index.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { routerClient } from "./testing.js";

let ctx: TestContext;
let jobs: ReturnType<typeof routerClient<typeof JobService>>;
let targets: ReturnType<typeof routerClient<typeof TargetService>>;
beforeEach(async () => {
  ctx = await createTestContext();
  jobs = routerClient(ctx, JobService, TEST_KEY);
  targets = routerClient(ctx, TargetService, TEST_KEY);
});
afterEach(async () => {
  await ctx.dispose();
});

const nextRuns = async (id: bigint) =>
  Object.fromEntries([...(await nextRunsOf(jobsEnv(ctx).em, Number(id)))].map(([a, d]) => [a, d?.toISOString()]));

async function withJobs() {
  const { target } = await targets.createTarget({
    target: { kind: TargetKind.GIT, url: "https://example.com/a.git", repo: "main", arches: ["x86_64", "aarch64"] },
  });
  const id = target!.id;
  const [running] = (await jobs.buildTarget({ targetId: id, arch: "x86_64" })).jobs;
  await claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: "a", leaseSeconds: 60 });
  const queued = (await jobs.buildTarget({ targetId: id })).jobs;
  return { id, running: running!, queued };
}

describe("target changes", () => {
  it("creating a target queues the next run of each arch", async () => {
    ctx.clock.set(new Date("2026-03-01T05:00:00Z"));
    const { target } = await targets.createTarget({
      target: { kind: TargetKind.GIT, url: "https://example.com/a.git", repo: "main", arches: ["a1", "a2"] },
    });
    expect(await nextRuns(target!.id)).toEqual({ a1: "2026-03-02T03:00:00.000Z", a2: "2026-03-02T03:00:00.000Z" });
  });

  it("editing cancels queued jobs with the reason, leaves running ones, and reschedules", async () => {
    const { id, running, queued } = await withJobs();
    const watcher = ctx.jobEvents.subscribe({ targetId: Number(id) });
    await targets.updateTarget({
      target: { id, schedule: "0 5", arches: ["aarch64"] },
      updateMask: { paths: ["schedule", "arches"] },
    });
    const list = (await jobs.listJobs({ targetId: id })).jobs;
    // The manual jobs and the old next runs (queued for the old definition) are cancelled.
    const cancelled = list.filter((j) => j.state === JobState.CANCELLED);
    expect(cancelled.map((j) => j.id).sort()).toEqual(
      [...queued.map((q) => q.id), ...list.filter((j) => j.id < running.id).map((j) => j.id)].sort(),
    );
    for (const j of cancelled) expect(j.cause?.message).toBe(`target ${id} was edited`);
    expect(list.find((j) => j.id === running.id)?.state).toBe(JobState.DISPATCHED);
    const seen = [];
    for (let i = 0; i < cancelled.length + 1; i++) seen.push((await watcher.next()).value.state);
    expect(seen).toEqual([...cancelled.map(() => "cancelled"), "queued"]);
    expect(await nextRuns(id)).toEqual({ aarch64: "2026-01-01T05:00:00.000Z" });
  });

  it("a refused edit cancels nothing", async () => {
    const { id, queued } = await withJobs();
    await expect(
      targets.updateTarget({ target: { id, schedule: "x" }, updateMask: { paths: ["schedule"] } }),
    ).rejects.toThrow();
    const { job } = await jobs.getJob({ id: queued[0]!.id });
    expect(job?.state).toBe(JobState.QUEUED);
  });

  it("deleting cancels queued jobs, next runs included; the history stays", async () => {
    const { id, running, queued } = await withJobs();
    await targets.deleteTarget({ id });
    const list = (await jobs.listJobs({ targetId: id })).jobs;
    // Two manual jobs queued, one dispatched, and the next scheduled run of each arch.
    expect(list).toHaveLength(queued.length + 1 + 2);
    expect(list.filter((j) => j.state === JobState.CANCELLED).map((j) => j.cause?.message)).toEqual(
      [...queued, 1, 2].map(() => `target ${id} was deleted`),
    );
    expect(list.find((j) => j.id === running.id)?.state).toBe(JobState.DISPATCHED);
    expect(await nextRuns(id)).toEqual({});
  });
});
