/**
 * Automatic retries of transient failures, through AgentService and
 * JobService over the in-memory router, with a real SQLite file and a
 * settable clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FailureStep, type Job, JobReason, JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { routerClient } from "./testing.js";
import { type ScriptedAgent, openAgent } from "./testing-agent.js";

const TOKEN = "token-a-0123456789abcdef";

let ctx: TestContext;
let agent: ScriptedAgent;

async function setUp(maxTransientRetries: number, maxLostRequeues = 1): Promise<bigint> {
  ctx = await createTestContext({
    agent_tokens: new Map([["builder-a", TOKEN]]),
    agent_lease_timeout: 20,
    max_transient_retries: maxTransientRetries,
    max_lost_requeues: maxLostRequeues,
  });
  ctx.agents.start();
  agent = openAgent(ctx, "builder-a", TOKEN);
  expect((await agent.next()).message.case).toBe("welcome");
  const { target } = await routerClient(ctx, TargetService, TEST_KEY).createTarget({
    target: { kind: TargetKind.GIT, url: "https://example.com/a.git", repo: "main" },
  });
  const [job] = (await jobs().buildTarget({ targetId: target!.id })).jobs;
  return job!.id;
}

afterEach(async () => {
  agent.end();
  ctx.agents.stop();
  await ctx.dispose();
});

const jobs = () => routerClient(ctx, JobService, TEST_KEY);

/** Every job but the target's next scheduled run, oldest first, after any dispatch pass. */
async function settledJobs(): Promise<Job[]> {
  await ctx.agents.idle();
  const all = (await jobs().listJobs({})).jobs.filter((j) => j.reason !== JobReason.SCHEDULED);
  return all.sort((a, b) => Number(a.id - b.id));
}

async function waitForState(id: bigint, state: JobState): Promise<Job> {
  for (let i = 0; i < 200; i++) {
    const job = (await jobs().getJob({ id })).job!;
    if (job.state === state) return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} did not become ${JobState[state]}`);
}

const infra = { step: FailureStep.INFRASTRUCTURE, message: "podman: connection refused" };

/** The agent never renews the lease of the job it holds: the sweep ends it. */
async function loseLease(): Promise<void> {
  ctx.clock.advance(21_000);
  await ctx.agents.sweepLeases();
}

describe("automatic retry of transient failures", () => {
  it("retries a container engine failure up to max_transient_retries, then leaves it failed", async () => {
    const first = await setUp(2);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await agent.nextJob();
      expect(job.attempt).toBe(attempt);
      agent.fail(job.id, infra);
      await waitForState(job.id, JobState.FAILED);
    }
    const all = await settledJobs();
    expect(all.map((j) => [j.state, j.reason, j.attempt, j.cause?.transient])).toEqual([
      [JobState.FAILED, JobReason.MANUAL, 1, true],
      [JobState.FAILED, JobReason.RETRY, 2, true],
      [JobState.FAILED, JobReason.RETRY, 3, true],
    ]);
    expect(all.map((j) => j.retryOfJobId)).toEqual([0n, first, all[1]!.id]);
  });

  it("retries a publish the agent calls transient (5xx, connection error) and finishes on success", async () => {
    const first = await setUp(2);
    const job = await agent.nextJob();
    agent.fail(job.id, { step: FailureStep.PUBLISH, message: "the server refused x with 503", transient: true });
    const retry = await agent.nextJob();
    expect(retry).toMatchObject({ retryOfJobId: first, attempt: 2, reason: JobReason.RETRY });
    agent.send({ message: { case: "jobUpdate", value: { jobId: retry.id, state: JobState.RUNNING } } });
    agent.send({ message: { case: "jobUpdate", value: { jobId: retry.id, state: JobState.SUCCEEDED } } });
    await waitForState(retry.id, JobState.SUCCEEDED);
    expect((await settledJobs()).length).toBe(2);
  });

  it.each([
    ["build", { step: FailureStep.BUILD, exitCode: 2, message: "make failed" }],
    ["fetch", { step: FailureStep.FETCH, exitCode: 128, message: "clone failed" }],
    ["prepare", { step: FailureStep.PREPARE, exitCode: 1, message: "prepare() failed" }],
    ["version check", { step: FailureStep.VERSION_CHECK, exitCode: 1, message: "pacman -Si failed" }],
    ["image", { step: FailureStep.IMAGE, message: "no such image" }],
    ["publish 4xx", { step: FailureStep.PUBLISH, message: "the server refused x with 400", transient: false }],
    // Only a publish may be called transient by the agent; the server decides the rest.
    ["build the agent calls transient", { step: FailureStep.BUILD, exitCode: 2, message: "x", transient: true }],
  ])("never retries a deterministic failure: %s", async (_, cause) => {
    await setUp(2);
    const job = await agent.nextJob();
    agent.fail(job.id, cause);
    const failed = await waitForState(job.id, JobState.FAILED);
    expect(failed.cause?.transient).toBe(false);
    expect((await settledJobs()).map((j) => j.id)).toEqual([job.id]);
  });

  it("never retries a timeout", async () => {
    await setUp(2);
    const job = await agent.nextJob();
    agent.send({ message: { case: "jobUpdate", value: { jobId: job.id, state: JobState.RUNNING } } });
    agent.send({
      message: {
        case: "jobUpdate",
        value: { jobId: job.id, state: JobState.TIMED_OUT, cause: { step: FailureStep.TIMEOUT, message: "3600 s" } },
      },
    });
    await waitForState(job.id, JobState.TIMED_OUT);
    expect((await settledJobs()).length).toBe(1);
  });

  it("re-queues a lost job once, then ends the chain failed with cause agent_lost", async () => {
    const first = await setUp(2);
    await agent.nextJob();
    await loseLease();
    const lost = (await jobs().getJob({ id: first })).job!;
    expect([lost.state, lost.cause?.step, lost.cause?.transient]).toEqual([
      JobState.LOST,
      FailureStep.AGENT_LOST,
      true,
    ]);
    const retry = await agent.nextJob();
    expect(retry).toMatchObject({ retryOfJobId: first, attempt: 2, reason: JobReason.RETRY });
    agent.send({ message: { case: "jobUpdate", value: { jobId: retry.id, state: JobState.RUNNING } } });
    await waitForState(retry.id, JobState.RUNNING);
    await loseLease();
    const failed = await waitForState(retry.id, JobState.FAILED);
    expect(failed.cause).toMatchObject({ step: FailureStep.AGENT_LOST, transient: true });
    expect(failed.cause?.message).toMatch(/stopped renewing its lease; it was already re-queued 1 time after/);
    expect((await settledJobs()).map((j) => j.state)).toEqual([JobState.LOST, JobState.FAILED]);
  });

  it("fails a lost job at once when max_lost_requeues is 0", async () => {
    const first = await setUp(2, 0);
    await agent.nextJob();
    await loseLease();
    expect((await settledJobs()).map((j) => [j.id, j.state, j.cause?.step])).toEqual([
      [first, JobState.FAILED, FailureStep.AGENT_LOST],
    ]);
  });

  it("retries nothing when max_transient_retries is 0", async () => {
    const first = await setUp(0);
    const job = await agent.nextJob();
    agent.fail(job.id, infra);
    await waitForState(job.id, JobState.FAILED);
    expect((await settledJobs()).map((j) => j.id)).toEqual([first]);
  });

  it("still re-queues a lost job when max_transient_retries is 0", async () => {
    const first = await setUp(0, 1);
    await agent.nextJob();
    await loseLease();
    expect(await agent.nextJob()).toMatchObject({ retryOfJobId: first, attempt: 2 });
    expect((await jobs().getJob({ id: first })).job?.state).toBe(JobState.LOST);
  });

  // Both budgets are 1: a loss does not spend the engine's retry, nor the reverse.
  it.each([
    ["a second loss", "lost", [JobState.FAILED, FailureStep.AGENT_LOST]],
    ["a second engine failure", "infra", [JobState.FAILED, FailureStep.INFRASTRUCTURE]],
  ] as const)("spends each budget on its own causes; %s ends the chain", async (_, last, ending) => {
    await setUp(1, 1);
    const first = await agent.nextJob();
    agent.fail(first.id, infra);
    await waitForState(first.id, JobState.FAILED);
    await agent.nextJob(); // attempt 2, retried for the engine
    await loseLease();
    const third = await agent.nextJob(); // attempt 3, re-queued for the loss
    expect(third.attempt).toBe(3);
    if (last === "lost") await loseLease();
    else agent.fail(third.id, infra);
    const ended = await waitForState(third.id, ending[0]);
    expect(ended.cause?.step).toBe(ending[1]);
    expect((await settledJobs()).map((j) => [j.attempt, j.state])).toEqual([
      [1, JobState.FAILED],
      [2, JobState.LOST],
      [3, ending[0]],
    ]);
  });
});
