/**
 * The agent loop against a real in-process server over HTTP/2, with a fake
 * build executor standing in for containers (the container path has its own
 * tests in agent/build and e2e). Packages published are real makepkg output.
 */
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createClient } from "@connectrpc/connect";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AgentService } from "../gen/vieter/v1/agent_service_pb.js";
import { FailureStep, JobReason, JobService, JobState } from "../gen/vieter/v1/job_service_pb.js";
import { TargetKind, TargetService } from "../gen/vieter/v1/target_service_pb.js";
import { type TestServer, startTestServer } from "./setup/server.js";
import { makePackage } from "../server/pkg/testing/make-package.js";
import { cleanupTempDirs } from "../server/pkg/testing/temp-dirs.js";
import { BuildAgent } from "../agent/agent.js";
import { agentTransport } from "../agent/main.js";
import { startFreezingProxy } from "../server/net/testing/freezing-proxy.js";
import type { BuildExecutor, BuildRequest } from "../agent/executor.js";

const TOKENS = { a: "agent-a-token-0123456789", b: "agent-b-token-0123456789" };
let srv: TestServer;
let pkgFile: string;
const stops: AbortController[] = [];

beforeAll(async () => {
  srv = await startTestServer({
    agent_tokens: new Map([
      ["agent-a", TOKENS.a],
      ["agent-b", TOKENS.b],
    ]),
    agent_lease_timeout: 8,
  });
  [pkgFile] = (await makePackage({
    pkgbuild: `pkgname=agent-made\npkgver=1\npkgrel=1\narch=(x86_64)\noptions=(!strip !debug)\npackage() { install -Dm644 /dev/null "$pkgdir/usr/share/agent-made/x"; }\n`,
  })) as [string];
});
afterEach(async () => {
  for (const c of stops.splice(0)) c.abort();
  // The next test starts only once the server has seen every agent go, so no
  // job of the next test is pushed into a stream that is already closed.
  await waitFor(async () => (await connectedAgents()).length === 0);
});
afterAll(async () => {
  await srv.stop();
  await cleanupTempDirs();
});

const admin = () => ({ headers: { "x-api-key": srv.apiKey } });
const jobs = () => createClient(JobService, createGrpcTransport({ baseUrl: srv.baseUrl }));
const targets = () => createClient(TargetService, createGrpcTransport({ baseUrl: srv.baseUrl }));
const agents = () => createClient(AgentService, createGrpcTransport({ baseUrl: srv.baseUrl }));

async function connectedAgents(): Promise<string[]> {
  return (await agents().listAgents({}, admin())).agents.filter((a) => a.connected).map((a) => a.name);
}

function startAgent(
  name: "a" | "b",
  executor: BuildExecutor,
  capacity = 1,
  transport = createGrpcTransport({ baseUrl: srv.baseUrl }),
): BuildAgent {
  const agent = new BuildAgent({
    address: srv.baseUrl,
    token: TOKENS[name],
    transport,
    arches: ["x86_64"],
    capacity,
    version: "test",
    executor,
    logger: pino({ level: "silent" }),
    backoff: { initialMs: 50, maxMs: 500 },
  });
  const controller = new AbortController();
  stops.push(controller);
  void agent.run(controller.signal);
  return agent;
}

async function createTarget(url: string): Promise<bigint> {
  const { target } = await targets().createTarget({ target: { kind: TargetKind.GIT, url, repo: "agents" } }, admin());
  return target!.id;
}

async function buildTarget(targetId: bigint): Promise<bigint> {
  return (await jobs().buildTarget({ targetId, force: true }, admin())).jobs[0]!.id;
}

async function queueBuild(url: string): Promise<bigint> {
  return buildTarget(await createTarget(url));
}

async function stateOf(id: bigint): Promise<JobState> {
  return (await jobs().getJob({ id }, admin())).job!.state;
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not reached in time");
}

describe("agent loop (fake build executor)", () => {
  it("receives a pushed job, streams output, publishes with its own token", async () => {
    const seen: BuildRequest[] = [];
    startAgent("a", async (req) => {
      seen.push(req);
      req.onOutput(Buffer.from("building...\n"));
      return { outcome: "succeeded", message: "", lastLines: [], packages: [pkgFile] };
    });
    const id = await queueBuild("https://example.com/agent-made.git");
    await waitFor(async () => (await stateOf(id)) === JobState.SUCCEEDED);
    expect(seen[0]).toMatchObject({
      jobId: Number(id),
      url: "https://example.com/agent-made.git",
      repo: "agents",
      force: true,
    });
    const db = await fetch(`${srv.baseUrl}/agents/x86_64/agents.db`);
    expect(db.status).toBe(200);
  });

  it("notices a connection that went silent without a FIN, reconnects and gets the next job", async () => {
    const proxy = await startFreezingProxy(srv.port);
    try {
      const through = agentTransport(`http://127.0.0.1:${proxy.port}`, { pingIntervalMs: 100, pingTimeoutMs: 300 });
      const agent = startAgent(
        "a",
        async () => ({ outcome: "skipped", message: "", lastLines: [], packages: [] }),
        1,
        through,
      );
      await waitFor(async () => agent.sessions === 1);
      proxy.freeze(); // no FIN, no RST: only the unanswered PING tells
      await waitFor(async () => agent.sessions === 2);
      const id = await queueBuild("https://example.com/after-freeze.git");
      await waitFor(async () => (await stateOf(id)) === JobState.SKIPPED);
    } finally {
      await proxy.close();
    }
  });

  it("reports a failed publish as cause publish", async () => {
    startAgent("a", async () => ({
      outcome: "succeeded",
      message: "",
      lastLines: [],
      packages: ["/nonexistent.pkg.tar.zst"],
    }));
    const id = await queueBuild("https://example.com/broken.git");
    await waitFor(async () => (await stateOf(id)) === JobState.FAILED);
    expect((await jobs().getJob({ id }, admin())).job!.cause?.message).toContain("nonexistent");
  });

  it(
    "honours capacity across two agents: never more than 4 at once, none twice, one per target×arch, all finish",
    { timeout: 240_000 },
    async () => {
      let running = 0;
      let most = 0;
      const ran: number[] = [];
      const perTarget = new Map<string, number>();
      let mostPerTarget = 0;
      const slow: BuildExecutor = async (req) => {
        running++;
        most = Math.max(most, running);
        ran.push(req.jobId);
        perTarget.set(req.url, (perTarget.get(req.url) ?? 0) + 1);
        mostPerTarget = Math.max(mostPerTarget, perTarget.get(req.url)!);
        await new Promise((r) => setTimeout(r, 60));
        perTarget.set(req.url, perTarget.get(req.url)! - 1);
        running--;
        return { outcome: "skipped", message: "already there", lastLines: [], packages: [] };
      };
      startAgent("a", slow, 2);
      startAgent("b", slow, 2);
      // 20 jobs of 8 targets: more targets than slots, and 2–3 jobs of each target queued at once.
      // The wait is long because each job's state changes are SQLite commits (fsync), which take
      // 10–40 s in all on a machine loaded by other test runs; nothing here is timed.
      const targetIds = await Promise.all(
        Array.from({ length: 8 }, (_, i) => createTarget(`https://example.com/cap-${i}.git`)),
      );
      const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => buildTarget(targetIds[i % 8]!)));
      await waitFor(
        async () => (await Promise.all(ids.map(stateOf))).every((s) => s === JobState.SKIPPED),
        200_000,
      ).catch(async (err: Error) => {
        const unfinished = (await jobs().listJobs({}, admin())).jobs
          .filter((j) => j.state !== JobState.SKIPPED && j.reason !== JobReason.SCHEDULED)
          .map((j) => `${j.id}:${JobState[j.state]}@${j.agent}(${j.cause?.message ?? ""})`);
        throw new Error(`${err.message}: ran ${ran.length}, unfinished ${unfinished.join(" ")}`);
      });
      expect(most).toBeLessThanOrEqual(4);
      expect(mostPerTarget).toBe(1);
      expect(new Set(ran).size).toBe(ran.length);
      expect(ran.length).toBe(20);
    },
  );

  it("a killed agent's job is lost, re-queued and finished by another agent", { timeout: 120_000 }, async () => {
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    const startedByA: number[] = [];
    const a = startAgent("a", async (req) => {
      startedByA.push(req.jobId);
      await hang;
      return { outcome: "succeeded", message: "", lastLines: [], packages: [] };
    });
    await waitFor(async () => (await connectedAgents()).includes("agent-a"));
    const id = await queueBuild("https://example.com/lost.git");
    // Agent a holds the job, by its own account and the server's, before b exists.
    await waitFor(async () => a.running.includes(Number(id)));
    await waitFor(async () => {
      const job = (await jobs().getJob({ id }, admin())).job!;
      return job.state === JobState.RUNNING && job.agent === "agent-a";
    });
    stops.shift()!.abort(); // agent a is gone: no more heartbeats
    await waitFor(async () => !(await connectedAgents()).includes("agent-a"));
    startAgent("b", async () => ({ outcome: "skipped", message: "done by b", lastLines: [], packages: [] }));
    await waitFor(async () => (await stateOf(id)) === JobState.LOST, 60_000);
    const lost = (await jobs().getJob({ id }, admin())).job!;
    expect([lost.agent, lost.cause?.step, lost.cause?.transient]).toEqual(["agent-a", FailureStep.AGENT_LOST, true]);
    await waitFor(async () =>
      (await jobs().listJobs({}, admin())).jobs.some((j) => j.retryOfJobId === id && j.state === JobState.SKIPPED),
    );
    const retry = (await jobs().listJobs({}, admin())).jobs.find((j) => j.retryOfJobId === id)!;
    expect([retry.agent, retry.reason, retry.attempt]).toEqual(["agent-b", JobReason.RETRY, 2]);
    expect(startedByA).toEqual([Number(id)]);
    release();
  });
});
