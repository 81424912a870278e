/** The agent protocol through AgentService over an in-memory transport, with a real SQLite file. */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentService } from "../../gen/vieter/v1/agent_service_pb.js";
import { FailureStep, JobReason, JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { PROTOCOL_VERSION } from "../../lib/agent-protocol.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { routerClient } from "./testing.js";
import { openAgent as openScriptedAgent } from "./testing-agent.js";

const TOKENS = new Map([
  ["builder-a", "token-a-0123456789abcdef"],
  ["builder-b", "token-b-0123456789abcdef"],
]);

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext({ agent_tokens: TOKENS, agent_lease_timeout: 20 });
  ctx.agents.start();
});
afterEach(async () => {
  ctx.agents.stop();
  await ctx.dispose();
});

/** An agent's end of Connect: send messages, read what the server pushes. */
const openAgent = (
  name: string,
  hello: { capacity?: number; protocolVersion?: number; runningJobIds?: bigint[] } = {},
  token = TOKENS.get(name)!,
) => openScriptedAgent(ctx, name, token, hello);

async function newTarget(url = "https://example.com/a.git"): Promise<bigint> {
  const res = await routerClient(ctx, TargetService, TEST_KEY).createTarget({
    target: { kind: TargetKind.GIT, url, repo: "main" },
  });
  return res.target!.id;
}

const jobs = () => routerClient(ctx, JobService, TEST_KEY);

describe("AgentService.Connect", () => {
  it("welcomes an agent and pushes a queued job, then takes its reports", async () => {
    const agent = openAgent("builder-a");
    const welcome = await agent.next();
    expect(welcome.message.case).toBe("welcome");
    const targetId = await newTarget();
    const [queued] = (await jobs().buildTarget({ targetId, force: true })).jobs;
    const assignment = await agent.next();
    expect(assignment.message.case).toBe("assignment");
    const assigned = assignment.message.value as {
      job: { id: bigint; force: boolean };
      spec: { url: string; repo: string };
    };
    expect(assigned.job.id).toBe(queued!.id);
    expect(assigned.spec).toMatchObject({ url: "https://example.com/a.git", repo: "main" });
    agent.send({ message: { case: "jobUpdate", value: { jobId: queued!.id, state: JobState.RUNNING } } });
    agent.send({ message: { case: "heartbeat", value: { jobIds: [queued!.id] } } });
    agent.send({ message: { case: "jobUpdate", value: { jobId: queued!.id, state: JobState.SUCCEEDED } } });
    await waitFor(async () => (await jobs().getJob({ id: queued!.id })).job?.state === JobState.SUCCEEDED);
    // The slot frees right after the job's row changes; wait for both.
    await waitFor(
      async () =>
        (await routerClient(ctx, AgentService, TEST_KEY).listAgents({})).agents[0]?.runningJobIds.length === 0,
    );
    const { agents } = await routerClient(ctx, AgentService, TEST_KEY).listAgents({});
    expect(agents.map((a) => [a.name, a.connected, a.capacity, a.runningJobIds])).toEqual([["builder-a", true, 1, []]]);
    agent.end();
  });

  it("never gives an agent more jobs than its slots", async () => {
    const agent = openAgent("builder-a", { capacity: 2 });
    await agent.next();
    for (let i = 0; i < 5; i++) await jobs().buildTarget({ targetId: await newTarget(`https://example.com/${i}.git`) });
    const first = await agent.next();
    const second = await agent.next();
    expect([first.message.case, second.message.case]).toEqual(["assignment", "assignment"]);
    await ctx.agents.idle();
    expect((await jobs().listJobs({ states: [JobState.DISPATCHED] })).totalCount).toBe(2);
    const done = (first.message.value as { job: { id: bigint } }).job.id;
    agent.send({
      message: {
        case: "jobUpdate",
        value: {
          jobId: done,
          state: JobState.FAILED,
          cause: { step: FailureStep.BUILD, exitCode: 2, message: "make failed", lastLines: ["error"] },
        },
      },
    });
    // The report is acknowledged before the freed slot takes the next job.
    expect((await agent.next()).message).toMatchObject({ case: "jobUpdateAck", value: { jobId: done } });
    const third = await agent.next();
    expect(third.message.case).toBe("assignment");
    const failed = (await jobs().getJob({ id: done })).job!;
    expect(failed.state).toBe(JobState.FAILED);
    expect(failed.cause).toMatchObject({
      step: FailureStep.BUILD,
      exitCode: 2,
      message: "make failed",
      lastLines: ["error"],
    });
    agent.end();
  });

  it("declares a silent agent's job lost, re-queues it, and another agent gets it", async () => {
    const a = openAgent("builder-a");
    await a.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    expect((await a.next()).message.case).toBe("assignment");
    a.end(); // killed: its stream is gone and it never renews the lease
    ctx.clock.advance(21_000);
    await ctx.agents.sweepLeases();
    expect((await jobs().getJob({ id: job!.id })).job?.state).toBe(JobState.LOST);
    const b = openAgent("builder-b");
    await b.next();
    const retry = await b.next();
    const retried = (retry.message.value as { job: { retryOfJobId: bigint; attempt: number } }).job;
    expect(retried).toMatchObject({ retryOfJobId: job!.id, attempt: 2 });
    b.end();
  });

  it("stores the log chunks of a held job, in order, under the agent and start time", async () => {
    const agent = openAgent("builder-a");
    await agent.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await agent.next();
    agent.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.RUNNING } } });
    for (const text of ["==> Making package\n", "==> Finished\n"])
      agent.send({ message: { case: "logChunk", value: { jobId: job!.id, data: Buffer.from(text) } } });
    agent.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.SUCCEEDED } } });
    await waitFor(async () => (await jobs().getJob({ id: job!.id })).job?.state === JobState.SUCCEEDED);
    const ended = (await jobs().getJob({ id: job!.id })).job!;
    const logs = routerClient(ctx, LogService, TEST_KEY);
    await waitFor(async () => (await ctx.logs.findLogOfJob(Number(job!.id)))?.endedAt !== undefined);
    const log = (await logs.getLog({ id: BigInt((await ctx.logs.findLogOfJob(Number(job!.id)))!.id) })).log!;
    expect([log.agent, log.startTime]).toEqual(["builder-a", ended.startTime]);
    let text = "";
    for await (const { data } of logs.getLogContent({ id: log.id })) text += Buffer.from(data).toString();
    expect(text).toBe("==> Making package\n==> Finished\n");
    agent.end();
  });

  it("takes the report of a build that ended while its agent was disconnected", async () => {
    const first = openAgent("builder-a");
    await first.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await first.next();
    first.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.RUNNING } } });
    await waitFor(async () => (await jobs().getJob({ id: job!.id })).job?.state === JobState.RUNNING);
    first.end(); // the connection drops; the build ends meanwhile
    const again = openAgent("builder-a"); // its Hello lists no running job
    await again.next();
    again.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.SUCCEEDED } } });
    await waitFor(async () => (await jobs().getJob({ id: job!.id })).job?.state === JobState.SUCCEEDED);
    again.end();
  });

  it("forwards a cancel to the agent holding the job", async () => {
    const agent = openAgent("builder-a");
    await agent.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await agent.next();
    agent.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.RUNNING } } });
    await waitFor(async () => (await jobs().getJob({ id: job!.id })).job?.state === JobState.RUNNING);
    await jobs().cancelJob({ id: job!.id });
    const cancel = await agent.next();
    expect(cancel.message).toMatchObject({ case: "cancel", value: { jobId: job!.id } });
    agent.end();
  });

  it("refuses reports on jobs the agent does not hold, and keeps the session", async () => {
    const a = openAgent("builder-a");
    await a.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await a.next();
    const b = openAgent("builder-b");
    await b.next();
    b.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.SUCCEEDED } } });
    b.send({ message: { case: "heartbeat", value: { jobIds: [] } } });
    // Refused for good: the acknowledgement says why, so the agent stops sending it.
    const ack = await b.nextOf("jobUpdateAck");
    expect([ack.jobId, ack.refusal]).toEqual([job!.id, expect.stringContaining("not held by agent")]);
    expect((await jobs().getJob({ id: job!.id })).job?.state).toBe(JobState.DISPATCHED);
    const { agents } = await routerClient(ctx, AgentService, TEST_KEY).listAgents({});
    expect(agents.find((x) => x.name === "builder-b")?.connected).toBe(true);
    a.end();
    b.end();
  });
});

describe("final report acknowledgements", () => {
  const infrastructure = { step: FailureStep.INFRASTRUCTURE, message: "engine gone", lastLines: [] };

  /** A job held by a fresh `builder-a` session, reported running. */
  async function runningJob() {
    const agent = openAgent("builder-a");
    await agent.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await agent.nextJob();
    agent.send({ message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.RUNNING } } });
    return { agent, id: job!.id };
  }

  /** The jobs a test made (the reported one and any retry of it), not the targets' scheduled runs. */
  const allJobs = async () =>
    (await jobs().listJobs({})).jobs
      .filter((j) => j.reason !== JobReason.SCHEDULED)
      .map((j) => [j.state, j.retryOfJobId, j.attempt]);

  it("acknowledges a final report, and a repeated one alike, recording it once", async () => {
    const { agent, id } = await runningJob();
    agent.fail(id, infrastructure);
    expect(await agent.nextOf("jobUpdateAck")).toMatchObject({ jobId: id, state: JobState.FAILED, refusal: "" });
    agent.fail(id, infrastructure);
    expect(await agent.nextOf("jobUpdateAck")).toMatchObject({ jobId: id, state: JobState.FAILED, refusal: "" });
    // One failure, so one automatic retry (the failure is transient), not two.
    await waitFor(async () => (await allJobs()).length === 2);
    await ctx.agents.idle();
    expect(await allJobs()).toEqual(
      expect.arrayContaining([
        [JobState.FAILED, 0n, 1],
        [expect.any(Number), id, 2],
      ]),
    );
    expect(await allJobs()).toHaveLength(2);
    agent.end();
  });

  it("takes a report again after the stream dropped right after it was written, recording it once", async () => {
    const { agent, id } = await runningJob();
    agent.fail(id, infrastructure);
    agent.end(); // dropped: the acknowledgement never reaches the agent
    const again = openAgent("builder-a", { runningJobIds: [id] });
    await again.nextOf("welcome");
    again.fail(id, infrastructure);
    expect(await again.nextOf("jobUpdateAck")).toMatchObject({ jobId: id, state: JobState.FAILED, refusal: "" });
    await waitFor(async () => (await allJobs()).length === 2);
    await ctx.agents.idle();
    const failed = (await jobs().getJob({ id })).job!;
    expect([failed.state, failed.cause?.step, failed.agent]).toEqual([
      JobState.FAILED,
      FailureStep.INFRASTRUCTURE,
      "builder-a",
    ]);
    expect(await allJobs()).toHaveLength(2);
    again.end();
  });

  it("says so when a repeated report differs from how the job ended", async () => {
    const { agent, id } = await runningJob();
    agent.send({ message: { case: "jobUpdate", value: { jobId: id, state: JobState.SUCCEEDED } } });
    await agent.nextOf("jobUpdateAck");
    agent.send({ message: { case: "jobUpdate", value: { jobId: id, state: JobState.TIMED_OUT } } });
    const ack = await agent.nextOf("jobUpdateAck");
    expect([ack.state, ack.refusal]).toEqual([JobState.SUCCEEDED, `job ${id} had already ended as succeeded`]);
    expect((await jobs().getJob({ id })).job?.state).toBe(JobState.SUCCEEDED);
    agent.end();
  });

  it("takes a final report on a job whose RUNNING update was lost", async () => {
    const agent = openAgent("builder-a");
    await agent.next();
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await agent.nextJob();
    agent.send({
      message: { case: "jobUpdate", value: { jobId: job!.id, state: JobState.SKIPPED, message: "there" } },
    });
    expect(await agent.nextOf("jobUpdateAck")).toMatchObject({ state: JobState.SKIPPED, refusal: "" });
    const skipped = (await jobs().getJob({ id: job!.id })).job!;
    expect([skipped.state, skipped.startTime !== undefined]).toEqual([JobState.SKIPPED, true]);
    agent.end();
  });
});

describe("credentials and versions", () => {
  it("refuses the admin key on Connect and an agent token elsewhere", async () => {
    const admin = openAgent("builder-a", {}, TEST_KEY);
    await expect(admin.next()).rejects.toMatchObject({ code: Code.PermissionDenied });
    const err = await routerClient(ctx, TargetService, TOKENS.get("builder-a"))
      .listTargets({})
      .catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.PermissionDenied);
  });

  it("refuses another protocol version naming both", async () => {
    const agent = openAgent("builder-a", { protocolVersion: 99 });
    const err = await agent.next().catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.FailedPrecondition);
    expect((err as ConnectError).rawMessage).toContain(`protocol version 99, this server speaks ${PROTOCOL_VERSION}`);
  });

  it("refuses a Hello naming another agent than the token's", async () => {
    const agent = openAgent("builder-b", {}, TOKENS.get("builder-a"));
    await expect(agent.next()).rejects.toMatchObject({ code: Code.PermissionDenied });
  });
});

describe("DrainAgent", () => {
  it("stops new assignments and resumes them", async () => {
    const agent = openAgent("builder-a");
    await agent.next();
    const admin = routerClient(ctx, AgentService, TEST_KEY);
    expect((await admin.drainAgent({ name: "builder-a", draining: true })).agent?.draining).toBe(true);
    const [job] = (await jobs().buildTarget({ targetId: await newTarget() })).jobs;
    await ctx.agents.idle();
    expect((await jobs().getJob({ id: job!.id })).job?.state).toBe(JobState.QUEUED);
    await admin.drainAgent({ name: "builder-a", draining: false });
    expect((await agent.next()).message.case).toBe("assignment");
    agent.end();
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not reached");
}

describe("AgentHub at shutdown", () => {
  it("waits for agent messages under way and applies none after stop", async () => {
    let finish!: () => void;
    const underWay = ctx.agents.apply(() => new Promise<void>((resolve) => (finish = resolve)));
    ctx.agents.stop();
    let idle = false;
    const waiting = ctx.agents.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    finish();
    await underWay;
    await waiting;
    expect(idle).toBe(true);
    let applied = false;
    await expect(ctx.agents.apply(async () => (applied = true))).rejects.toThrow("the server is shutting down");
    expect(applied).toBe(false);
  });
});
