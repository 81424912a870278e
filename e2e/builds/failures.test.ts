/**
 * How builds end badly, through the whole chain (server → agent → Podman
 * container → server): a failing PKGBUILD, a build timeout, a cancel while
 * the build runs, and a publish the server refuses. Each job records the
 * state and cause, and no build container is left behind.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { pkgbuild } from "../../agent/build/testing/fixtures.js";
import { makePackage } from "../../server/pkg/testing/make-package.js";
import { cleanupTempDirs } from "../../server/pkg/testing/temp-dirs.js";
import { publishFile } from "../setup/publish.js";
import { describe as describeJob } from "./client.js";
import { type RunningAgent, describeBuilds, useBuildSystem } from "./setup.js";
import { waitUntil } from "./wait.js";

// The gate is an HTTP server build() polls: the build step needs the network here.
const GATED_AGENTS = { VIETER_BUILD_NETWORK_ISOLATION: "false" };

describeBuilds("failing builds end with the right state and cause", () => {
  const sys = useBuildSystem("failures", {}, GATED_AGENTS);
  let agent: RunningAgent;

  beforeAll(async () => {
    agent = await sys.startAgent("alpha");
  });
  afterAll(cleanupTempDirs);
  it("a PKGBUILD whose build() exits 3: failed, cause build, exit code and last lines", async () => {
    const url = sys.gitTarget("failing", {
      names: ["vieter-e2e-failing"],
      build: "echo 'compiling hello.c'; echo 'hello.c:1: error: boom' >&2; exit 3",
    });
    const targetId = await sys.client.createTarget(url, "e2e");
    const job = await sys.client.waitUntilEnded((await sys.client.build(targetId)).id);
    expect(job.state, describeJob(job)).toBe(JobState.FAILED);
    expect(job.cause?.step).toBe(FailureStep.BUILD);
    // makepkg turns the function's failure into its own exit code; 99 would mean "skipped".
    expect(job.cause?.exitCode).toBeGreaterThan(0);
    expect(job.cause?.exitCode).not.toBe(99);
    expect(job.cause?.lastLines).toContain("hello.c:1: error: boom");
    expect(job.cause?.lastLines.at(-1)).toBe(
      `==> vieter: build failed in step build (exit code ${job.cause?.exitCode})`,
    );
    expect(await sys.agentContainers(agent.dataDir)).toEqual([]);
    expect(await sys.client.packages("e2e")).toEqual([]);
  });

  it("a build over its target's timeout: timed_out, the container is gone, the log says so", async () => {
    const url = sys.gitTarget("slow", { names: ["vieter-e2e-slow"], build: sys.gate.buildBody("never") });
    const targetId = await sys.client.createTarget(url, "e2e", { buildTimeoutSeconds: 6 });
    const job = await sys.client.waitUntilEnded((await sys.client.build(targetId)).id);
    expect(job.state, describeJob(job)).toBe(JobState.TIMED_OUT);
    expect(job.cause?.step).toBe(FailureStep.TIMEOUT);
    expect(job.cause?.lastLines).toContain("==> vieter: killed after the timeout of 6 s");
    expect(await sys.agentContainers(agent.dataDir)).toEqual([]);
    const log = await sys.client.logOf(job.id);
    expect(log).toContain("==> vieter: killed after the timeout of 6 s");
    expect(log).toContain("==> vieter: build timed out");
  });

  it("CancelJob while the build runs: cancelled, and the container is gone", async () => {
    const url = sys.gitTarget("cancelled", { names: ["vieter-e2e-cancelled"], build: sys.gate.buildBody("cancel") });
    const targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    // The build is inside build() once it polls the gate.
    await waitUntil(() => sys.gate.reached.has("cancel"), "the build reaching build()");
    expect(await sys.agentContainers(agent.dataDir)).toHaveLength(1);
    await sys.client.cancel(queued.id);
    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.CANCELLED);
    expect(await sys.agentContainers(agent.dataDir)).toEqual([]);
    expect(agent.agent.running).toEqual([]);
  });

  it("a publish the server refuses (a downgrade): failed, cause publish", async () => {
    // The repo already holds a newer version (published directly, to spare a build).
    const [newer] = await makePackage({ pkgbuild: pkgbuild({ names: ["vieter-e2e-down"], pkgver: "2.0" }) });
    expect((await publishFile(sys.server.baseUrl, "e2e", newer!, sys.server.apiKey)).status).toBe(200);

    const older = await sys.client.createTarget(
      sys.gitTarget("down-old", { names: ["vieter-e2e-down"], pkgver: "1.0" }),
      "e2e",
    );
    const job = await sys.client.waitUntilEnded((await sys.client.build(older)).id);
    expect(job.state, describeJob(job)).toBe(JobState.FAILED);
    expect(job.cause?.step).toBe(FailureStep.PUBLISH);
    expect(job.cause?.message).toMatch(/refused .*vieter-e2e-down-1\.0-1-any\.pkg\.tar\.\w+ with 409/);
    expect(job.cause?.message).toContain("newer than the published 1.0-1");
    const pkg = (await sys.client.packages("e2e")).find((p) => p.name === "vieter-e2e-down");
    expect(pkg?.version).toBe("2.0-1");
  });
});
