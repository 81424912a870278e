/**
 * The server restarts while an agent builds: the agent reconnects by itself,
 * reports the build it still runs, and the job finishes once — one job, one
 * build, one package — on the new server.
 */
import { beforeAll, expect, it } from "vitest";
import { FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { describe as describeJob } from "./client.js";
import { type RunningAgent, describeBuilds, useBuildSystem } from "./setup.js";
import { waitUntil } from "./wait.js";

// The gate is an HTTP server build() polls: the build step needs the network here.
const GATED_AGENTS = { VIETER_BUILD_NETWORK_ISOLATION: "false" };

describeBuilds("server restart during a build", () => {
  const sys = useBuildSystem("restart", {}, GATED_AGENTS);
  let alpha: RunningAgent;

  beforeAll(async () => {
    alpha = await sys.startAgent("alpha");
  });

  it("the agent reconnects and the job finishes and is recorded once", async () => {
    const { agent } = alpha;
    const url = sys.gitTarget("restart", { names: ["vieter-e2e-restart"], build: sys.gate.buildBody("restart") });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    await waitUntil(() => sys.gate.reached.has("restart"), "the build reaching build()");
    const sessions = agent.sessions;

    const oldPort = sys.server.port;
    await sys.stopServer();
    await sys.startServer();
    expect(sys.server.port).toBe(oldPort);
    await waitUntil(() => agent.sessions > sessions, "the agent reconnecting");
    // Still running on the new server, held by the same agent: nothing was dispatched again.
    const during = await sys.client.job(queued.id);
    expect(during.state, describeJob(during)).toBe(JobState.RUNNING);
    expect(during.agent).toBe("alpha");

    sys.gate.open("restart");
    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.SUCCEEDED);
    expect((await sys.client.jobsOf(targetId)).map((j) => [j.id, j.state])).toEqual([[queued.id, JobState.SUCCEEDED]]);
    // Built once: the sources were cloned once (one ref discovery per clone).
    expect(
      sys.git.requests.filter((r) => r.startsWith("GET /restart.git/info/refs")),
      sys.git.requests.join(", "),
    ).toHaveLength(1);
    const published = (await sys.client.packages("e2e")).filter((p) => p.name === "vieter-e2e-restart");
    expect(published.map((p) => p.version)).toEqual(["1.0-1"]);
  });

  it("a build that ends while the server is down is published once the server is back", async () => {
    const url = sys.gitTarget("down", { names: ["vieter-e2e-down"], build: sys.gate.buildBody("down") });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    await waitUntil(() => sys.gate.reached.has("down"), "the build reaching build()");
    const sessions = alpha.agent.sessions;

    await sys.stopServer();
    sys.gate.open("down");
    // The container is gone once the build ended; the agent still holds the job: it is publishing.
    await waitUntil(async () => (await sys.agentContainers(alpha.dataDir)).length === 0, "the build ending");
    expect(alpha.agent.running).toEqual([Number(queued.id)]);
    await sys.startServer();

    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.SUCCEEDED);
    expect(alpha.agent.sessions).toBeGreaterThan(sessions);
    expect((await sys.client.jobsOf(targetId)).map((j) => j.id)).toEqual([queued.id]);
    const published = (await sys.client.packages("e2e")).filter((p) => p.name === "vieter-e2e-down");
    expect(published.map((p) => p.version)).toEqual(["1.0-1"]);
    // The failed attempts are in the build log.
    expect(await sys.client.logOf(job.id)).toMatch(/==> vieter: publishing .* failed: .*; trying again in/);
  });

  it("a build that fails while the server is down is recorded as failed when the agent is back", async () => {
    const url = sys.gitTarget("down-failing", {
      names: ["vieter-e2e-down-failing"],
      build: `${sys.gate.buildBody("down-failing")}; echo 'failing after the gate'; exit 3`,
    });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    await waitUntil(() => sys.gate.reached.has("down-failing"), "the build reaching build()");

    await sys.stopServer();
    sys.gate.open("down-failing");
    // The report waits in the agent for the next session.
    await waitUntil(() => alpha.agent.running.length === 0, "the build ending");
    await sys.startServer();

    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.FAILED);
    expect(job.cause?.step).toBe(FailureStep.BUILD);
    expect(job.cause?.lastLines).toContain("failing after the gate");
    expect((await sys.client.jobsOf(targetId)).map((j) => j.id)).toEqual([queued.id]);
    // Output from while the server was away arrived too.
    expect(await sys.client.logOf(job.id)).toContain("failing after the gate");
  });
});
