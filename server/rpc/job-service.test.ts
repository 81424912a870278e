/** JobService over an in-memory transport with a real SQLite file and a manual clock. */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JobReason, JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { claimNextJob, finishJob, startJob } from "../jobs/index.js";
import { jobsEnv } from "../jobs/testing/fixtures.js";
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

async function failure(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail");
}

async function target(arches = ["x86_64"]) {
  const { target } = await targets.createTarget({
    target: { kind: TargetKind.GIT, url: "https://example.com/a.git", repo: "main", arches },
  });
  return target!.id;
}

/** Claims, starts and ends the oldest x86_64 job as agent "a". */
async function build(outcome: "succeeded" | "failed" = "failed") {
  const job = (await claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: "a", leaseSeconds: 60 }))!;
  await startJob(jobsEnv(ctx), job.id, "a");
  return finishJob(jobsEnv(ctx), job.id, "a", outcome, { step: "build", exitCode: 1, message: "no", lastLines: [] });
}

describe("BuildTarget", () => {
  it("queues a manual job per arch of the target, due now, with force as given", async () => {
    const id = await target(["x86_64", "aarch64"]);
    const res = await jobs.buildTarget({ targetId: id });
    expect(res.jobs.map((j) => [j.arch, j.reason, j.state, j.force, j.attempt])).toEqual([
      ["x86_64", JobReason.MANUAL, JobState.QUEUED, false, 1],
      ["aarch64", JobReason.MANUAL, JobState.QUEUED, false, 1],
    ]);
    expect(res.jobs[0]?.dueTime).toEqual(res.jobs[0]?.createTime);
    const one = await jobs.buildTarget({ targetId: id, arch: "riscv64", force: true });
    expect(one.jobs.map((j) => [j.arch, j.force])).toEqual([["riscv64", true]]);
  });

  it("refuses an unknown target or a bad arch", async () => {
    expect((await failure(jobs.buildTarget({ targetId: 9n }))).code).toBe(Code.NotFound);
    const id = await target();
    const bad = await failure(jobs.buildTarget({ targetId: id, arch: "x/y" }));
    expect([bad.code, bad.rawMessage.startsWith("arch:")]).toEqual([Code.InvalidArgument, true]);
    expect((await failure(jobs.buildTarget({ targetId: id, arch: "any" }))).code).toBe(Code.InvalidArgument);
  });
});

describe("GetJob / ListJobs", () => {
  it("gets a job with its cause, or NotFound", async () => {
    const id = await target();
    await jobs.buildTarget({ targetId: id });
    const ended = await build();
    const { job } = await jobs.getJob({ id: BigInt(ended.id) });
    expect(job).toMatchObject({ state: JobState.FAILED, agent: "a", cause: { exitCode: 1, message: "no" } });
    expect(job?.endTime).toBeDefined();
    expect((await failure(jobs.getJob({ id: 99n }))).code).toBe(Code.NotFound);
  });

  it("filters by target, arch, states and agent, newest first, with pages and a total", async () => {
    // Creating a target queues its next scheduled runs: 1, 2 (a) and 3 (b), due at 03:00.
    const a = await target(["x86_64", "aarch64"]);
    const b = await target();
    await jobs.buildTarget({ targetId: a }); // 4 x86_64, 5 aarch64
    await jobs.buildTarget({ targetId: b }); // 6
    await build(); // job 4 failed, agent a
    const ids = async (req: object) => (await jobs.listJobs(req)).jobs.map((j) => Number(j.id));
    expect(await ids({})).toEqual([6, 5, 4, 3, 2, 1]);
    expect(await ids({ targetId: a })).toEqual([5, 4, 2, 1]);
    expect(await ids({ arch: "aarch64" })).toEqual([5, 2]);
    expect(await ids({ states: [JobState.QUEUED] })).toEqual([6, 5, 3, 2, 1]);
    expect(await ids({ states: [JobState.FAILED, JobState.SUCCEEDED] })).toEqual([4]);
    expect(await ids({ agent: "a" })).toEqual([4]);
    const page = await jobs.listJobs({ limit: 1, offset: 1 });
    expect([page.jobs.map((j) => Number(j.id)), page.totalCount]).toEqual([[5], 6]);
    expect((await failure(jobs.listJobs({ states: [JobState.UNSPECIFIED] }))).code).toBe(Code.InvalidArgument);
  });
});

describe("CancelJob", () => {
  it("cancels a queued job at once", async () => {
    const id = await target();
    const [queued] = (await jobs.buildTarget({ targetId: id })).jobs;
    const { job } = await jobs.cancelJob({ id: queued!.id });
    expect(job).toMatchObject({ state: JobState.CANCELLED, cause: { message: "cancelled by a user" } });
    expect((await failure(jobs.cancelJob({ id: queued!.id }))).code).toBe(Code.FailedPrecondition);
  });

  it("records a cancel request on a dispatched or running job", async () => {
    const id = await target();
    await jobs.buildTarget({ targetId: id });
    const claimed = (await claimNextJob(jobsEnv(ctx), { arch: "x86_64", agent: "a", leaseSeconds: 60 }))!;
    const { job } = await jobs.cancelJob({ id: BigInt(claimed.id) });
    expect(job?.state).toBe(JobState.DISPATCHED);
    expect(job?.cancelRequestTime).toBeDefined();
    ctx.clock.advance(1000);
    const again = await jobs.cancelJob({ id: BigInt(claimed.id) });
    expect(again.job?.cancelRequestTime).toEqual(job?.cancelRequestTime);
    expect((await failure(jobs.cancelJob({ id: 77n }))).code).toBe(Code.NotFound);
  });
});

describe("RetryJob", () => {
  it("queues a linked new attempt of an ended job only", async () => {
    const id = await target();
    const [queued] = (await jobs.buildTarget({ targetId: id, force: true })).jobs;
    expect((await failure(jobs.retryJob({ id: queued!.id }))).code).toBe(Code.FailedPrecondition);
    await build();
    const { job } = await jobs.retryJob({ id: queued!.id });
    expect(job).toMatchObject({
      reason: JobReason.RETRY,
      state: JobState.QUEUED,
      attempt: 2,
      retryOfJobId: queued!.id,
      force: true,
      arch: "x86_64",
    });
    await build();
    expect((await jobs.retryJob({ id: job!.id })).job?.attempt).toBe(3);
  });

  it("refuses a job whose target was deleted", async () => {
    const id = await target();
    const [queued] = (await jobs.buildTarget({ targetId: id })).jobs;
    await build();
    await targets.deleteTarget({ id });
    expect((await failure(jobs.retryJob({ id: queued!.id }))).rawMessage).toContain("no longer exists");
  });
});

describe("WatchJobs", () => {
  it("streams changes matching the filters and ends when the client goes away", async () => {
    const a = await target();
    const b = await target();
    const abort = new AbortController();
    const stream = jobs.watchJobs({ targetId: a }, { signal: abort.signal })[Symbol.asyncIterator]();
    const first = stream.next();
    await vi.waitFor(() => expect(ctx.jobEvents.subscriberCount).toBe(1));
    await jobs.buildTarget({ targetId: b });
    const [mine] = (await jobs.buildTarget({ targetId: a })).jobs;
    expect((await first).value.job).toMatchObject({ id: mine!.id, state: JobState.QUEUED });
    await jobs.cancelJob({ id: mine!.id });
    expect((await stream.next()).value.job).toMatchObject({ id: mine!.id, state: JobState.CANCELLED });
    abort.abort();
    await expect(stream.next()).rejects.toMatchObject({ code: Code.Canceled });
    await vi.waitFor(() => expect(ctx.jobEvents.subscriberCount).toBe(0));
  });

  it("with a job id, starts with the job's current state and follows only that job", async () => {
    const a = await target();
    const [one, two] = [
      ...(await jobs.buildTarget({ targetId: a })).jobs,
      ...(await jobs.buildTarget({ targetId: a })).jobs,
    ];
    const abort = new AbortController();
    const stream = jobs.watchJobs({ jobId: two!.id }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await stream.next()).value.job).toMatchObject({ id: two!.id, state: JobState.QUEUED });
    await jobs.cancelJob({ id: one!.id });
    await jobs.cancelJob({ id: two!.id });
    expect((await stream.next()).value.job).toMatchObject({ id: two!.id, state: JobState.CANCELLED });
    abort.abort();
    const missing = jobs.watchJobs({ jobId: 404n })[Symbol.asyncIterator]();
    await expect(missing.next()).rejects.toMatchObject({ code: Code.NotFound });
  });
});

describe("auth", () => {
  it("refuses every JobService call without the key", async () => {
    const anonymous = routerClient(ctx, JobService);
    expect((await failure(anonymous.listJobs({}))).code).toBe(Code.Unauthenticated);
    expect((await failure(anonymous.buildTarget({ targetId: 1n }))).code).toBe(Code.Unauthenticated);
  });
});
