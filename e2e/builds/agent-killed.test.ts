/**
 * An agent process killed with SIGKILL in the middle of a build: its job is
 * declared lost once the lease runs out, re-queued, and finished by a second
 * agent. The killed agent's container outlives it; the next start of an agent
 * on that data folder removes it (removeBuildContainers).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { FailureStep, JobReason, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { LABELS } from "../../agent/build/prepare-image.js";
import { stopChild } from "../setup/child-server.js";
import { describe as describeJob } from "./client.js";
import { describeBuilds, useBuildSystem } from "./setup.js";
import { waitUntil } from "./wait.js";

// The gate is an HTTP server build() polls: the build step needs the network here.
const GATED_AGENTS = { VIETER_BUILD_NETWORK_ISOLATION: "false" };

const BIN = fileURLToPath(new URL("../../bin/vieter.js", import.meta.url));
const LEASE_SECONDS = 6;
const fileStarted = Date.now();
let child: ChildProcess | undefined;
let childOutput = "";

describeBuilds("an agent killed with -9 mid-build", () => {
  const sys = useBuildSystem("killed", { agent_lease_timeout: LEASE_SECONDS }, GATED_AGENTS);
  afterAll(async () => {
    if (child) await stopChild(child, "SIGKILL");
    if (!sys.engine) return;
    // The agent process prepared its builder image under the shared owner: remove what it made here.
    const images = await sys.engine.docker.listImages({ filters: { label: [`${LABELS.owner}=default`] } });
    for (const image of images) {
      if (Number(image.Labels?.[LABELS.created] ?? 0) < fileStarted) continue;
      await sys.engine.docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => {});
    }
  });

  it("its job is lost, re-queued, finished by another agent; its container goes at the next start", async () => {
    const killedDir = await mkdtemp(join(sys.dir, "agent-killed-"));
    child = spawn(process.execPath, [BIN, "agent"], {
      env: { PATH: process.env.PATH, HOME: killedDir, ...sys.agentEnv("alpha", killedDir) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (childOutput += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (childOutput += d.toString()));

    const url = sys.gitTarget("killed", { names: ["vieter-e2e-killed"], build: sys.gate.buildBody("killed") });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    await waitUntil(() => sys.gate.reached.has("killed"), "the build reaching build()", {
      detail: () => `agent output: ${childOutput}`,
    });
    const running = await sys.client.job(queued.id);
    expect(running.state, describeJob(running)).toBe(JobState.RUNNING);
    expect(running.agent).toBe("alpha");
    const [orphan] = await sys.agentContainers(killedDir);
    expect(orphan).toBeDefined();

    await stopChild(child, "SIGKILL");
    // The bound: lost within 30 s (the lease here is 6 s).
    const lost = await sys.client.waitForJob(queued.id, (j) => j.state === JobState.LOST, 30_000);
    expect(lost.cause?.step, describeJob(lost)).toBe(FailureStep.AGENT_LOST);
    // Nobody removed the killed agent's container.
    expect(await sys.agentContainers(killedDir)).toEqual([orphan]);

    const beta = await sys.startAgent("beta");
    let jobs = await sys.client.jobsOf(targetId);
    await waitUntil(async () => (jobs = await sys.client.jobsOf(targetId)).length === 2, "the retry being queued");
    const retry = jobs[1]!;
    expect(retry).toMatchObject({ reason: JobReason.RETRY, retryOfJobId: queued.id, attempt: 2 });
    sys.gate.open("killed");
    const done = await sys.client.waitUntilEnded(retry.id);
    expect(done.state, describeJob(done)).toBe(JobState.SUCCEEDED);
    expect(done.agent).toBe("beta");
    expect(await sys.agentContainers(beta.dataDir)).toEqual([]);
    expect((await sys.client.packages("e2e")).map((p) => [p.name, p.version])).toEqual([
      ["vieter-e2e-killed", "1.0-1"],
    ]);

    // The killed agent starts again on its data folder: its orphaned container is removed.
    expect(await sys.agentContainers(killedDir)).toEqual([orphan]);
    await sys.startAgent("alpha", killedDir);
    expect(await sys.agentContainers(killedDir)).toEqual([]);
    // Both jobs stay as they ended.
    expect((await sys.client.jobsOf(targetId)).map((j) => j.state)).toEqual([JobState.LOST, JobState.SUCCEEDED]);
  });
});
