/**
 * The whole chain with real parts: a git repository → CreateTarget →
 * BuildTarget → an agent builds it in a Podman container → the package is in
 * the repo → the real pacman installs it from the server. A second build
 * without force is skipped (epoch versions too); with force it is rebuilt.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { createPacman } from "../setup/pacman.js";
import { describe as describeJob } from "./client.js";
import { type RunningAgent, describeBuilds, useBuildSystem } from "./setup.js";

describeBuilds("git repository → agent in a container → repo → pacman", () => {
  const sys = useBuildSystem("install");
  let agent: RunningAgent;

  beforeAll(async () => {
    agent = await sys.startAgent("alpha");
  });

  let targetId: bigint;

  it("builds and publishes a target; pacman installs the package from the server", async () => {
    const url = sys.gitTarget("hello", { names: ["vieter-e2e-hello"], pkgver: "1.4" });
    targetId = await sys.client.createTarget(url, "e2e");
    const queued = await sys.client.build(targetId);
    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.SUCCEEDED);
    expect(job.agent).toBe("alpha");

    const packages = await sys.client.packages("e2e");
    expect(packages.map((p) => [p.name, p.version, p.repoArch])).toEqual([["vieter-e2e-hello", "1.4-1", "x86_64"]]);
    const pacman = await createPacman(sys.server.baseUrl, "e2e");
    await pacman.run("-Sy", "vieter-e2e-hello");
    expect(await pacman.run("-Q", "vieter-e2e-hello")).toBe("vieter-e2e-hello 1.4-1\n");
    expect(existsSync(join(pacman.root, "usr/bin/vieter-e2e-hello"))).toBe(true);

    // The build's output reached the server's log storage.
    expect(await sys.client.logOf(job.id)).toContain("==> vieter: build succeeded: 1 package(s)");
    expect(await sys.agentContainers(agent.dataDir)).toEqual([]);
  });

  it("skips a second build of the same version without force, saying why", async () => {
    const queued = await sys.client.build(targetId);
    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.SKIPPED);
    expect(job.cause?.message).toMatch(/already in .*vieter-e2e-hello-1\.4-1/);
    expect(job.cause?.step).toBe(FailureStep.UNSPECIFIED);
  });

  it("rebuilds with force: the build runs again and publishes", async () => {
    const before = (await sys.client.packages("e2e")).find((p) => p.name === "vieter-e2e-hello")!;
    const queued = await sys.client.build(targetId, true);
    const job = await sys.client.waitUntilEnded(queued.id);
    expect(job.state, describeJob(job)).toBe(JobState.SUCCEEDED);
    const log = (await sys.client.logOf(job.id)) ?? "";
    // makepkg ran (it was skipped before the build step the time before).
    expect(log).toContain("==> vieter: step build");
    expect(log).toContain("Finished making: vieter-e2e-hello 1.4-1");
    const after = (await sys.client.packages("e2e")).find((p) => p.name === "vieter-e2e-hello")!;
    expect(after.version).toBe("1.4-1");
    // A new build of the same version is a new file (its build date differs), and it replaced the old one.
    expect(after.sha256).not.toBe(before.sha256);
  });

  it("skips an epoch version that is already published (the epoch is part of the version check)", async () => {
    const url = sys.gitTarget("epoch", { names: ["vieter-e2e-epoch"], pkgver: "0.9", epoch: 2 });
    const epochTarget = await sys.client.createTarget(url, "e2e");
    const first = await sys.client.waitUntilEnded((await sys.client.build(epochTarget)).id);
    expect(first.state, describeJob(first)).toBe(JobState.SUCCEEDED);
    const pkg = (await sys.client.packages("e2e")).find((p) => p.name === "vieter-e2e-epoch");
    expect(pkg?.version).toBe("2:0.9-1");

    const second = await sys.client.waitUntilEnded((await sys.client.build(epochTarget)).id);
    expect(second.state, describeJob(second)).toBe(JobState.SKIPPED);
    expect(second.cause?.message).toMatch(/vieter-e2e-epoch-2:0\.9-1/);

    const pacman = await createPacman(sys.server.baseUrl, "e2e");
    await pacman.run("-Sy", "vieter-e2e-epoch");
    expect(await pacman.run("-Q", "vieter-e2e-epoch")).toBe("vieter-e2e-epoch 2:0.9-1\n");
  });
});
