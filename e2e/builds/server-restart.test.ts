/**
 * The server restarts while an agent builds: the agent reconnects by itself,
 * reports the build it still runs, and the job finishes once — one job, one
 * build, one package — on the new server.
 */
import { describe, expect, it } from "vitest";
import { JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { describe as describeJob } from "./client.js";
import { useBuildSystem } from "./setup.js";

const sys = useBuildSystem("restart");

async function waitUntil(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not reached`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("server restart during a build", () => {
  it("the agent reconnects and the job finishes and is recorded once", async () => {
    const { agent } = await sys.startAgent("alpha");
    const url = sys.gitTarget("restart", { names: ["vieter-e2e-restart"], build: sys.gate.buildBody("restart") });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    await waitUntil(() => sys.gate.reached.has("restart"), "the build reaching build()");
    expect(agent.sessions).toBe(1);

    const oldPort = sys.server.port;
    await sys.restartServer();
    expect(sys.server.port).toBe(oldPort);
    await waitUntil(() => agent.sessions === 2, "the agent reconnecting");
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
});
