/**
 * Build logs end to end: lines travel from an agent's build over the agent
 * protocol into the server's log storage, and reach followers (FollowLog over
 * gRPC) while the build still runs. A fake build executor stands in for the
 * container (the container path has its own tests in agent/build and
 * e2e/builds); everything else is real: server, HTTP/2, agent, storage.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildAgent } from "../agent/agent.js";
import type { BuildExecutor } from "../agent/executor.js";
import { FailureStep, JobService, JobState } from "../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../gen/vieter/v1/log_service_pb.js";
import { TargetKind, TargetService } from "../gen/vieter/v1/target_service_pb.js";
import { type TestServer, startTestServer } from "./setup/server.js";

const TOKEN = "agent-logs-token-0123456789";
let srv: TestServer;
const stop = new AbortController();

/** Lets the test decide when the fake build goes on. */
class Gate {
  private open!: () => void;
  readonly opened = new Promise<void>((r) => (this.open = r));
  release(): void {
    this.open();
  }
}

const midBuild = new Gate();
const LINES_AFTER = Array.from({ length: 2000 }, (_, i) => `after the gate, line ${i + 1}`);

/** Prints one line, waits for the gate, prints the rest, then fails in `build`. */
const executor: BuildExecutor = async (req) => {
  req.onOutput(Buffer.from("before the gate\n"));
  await midBuild.opened;
  for (let i = 0; i < LINES_AFTER.length; i += 100) {
    req.onOutput(Buffer.from(LINES_AFTER.slice(i, i + 100).join("\n") + "\n"));
  }
  return { outcome: "failed", step: "build", exitCode: 3, message: "build() exited 3", lastLines: [], packages: [] };
};

beforeAll(async () => {
  srv = await startTestServer({ agent_tokens: new Map([["agent-logs", TOKEN]]) });
});
afterAll(async () => {
  stop.abort();
  await srv.stop();
});

const admin = () => ({ headers: { "x-api-key": srv.apiKey } });
const transport = () => createGrpcTransport({ baseUrl: srv.baseUrl });

/** Collects a FollowLog stream; `text()` is what arrived so far. */
function follow(request: { id?: bigint; jobId?: bigint }) {
  let text = "";
  const done = (async () => {
    for await (const chunk of createClient(LogService, transport()).followLog(request, admin())) {
      text += Buffer.from(chunk.data).toString();
    }
    return text;
  })();
  return { text: () => text, done };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: not reached in ${ms} ms`);
}

describe("build logs through a real agent stream (fake build executor)", () => {
  it("follows a job from before its build starts, live, to its end; a late follower and HTTP get the same text", async () => {
    const targets = createClient(TargetService, transport());
    const jobs = createClient(JobService, transport());
    const { target } = await targets.createTarget(
      { target: { kind: TargetKind.GIT, url: "https://example.com/logs.git", repo: "logs" } },
      admin(),
    );
    const [job] = (await jobs.buildTarget({ targetId: target!.id, force: true }, admin())).jobs;
    const early = follow({ jobId: job!.id });

    // The agent starts only now: the follower waited for the build to begin.
    const agent = new BuildAgent({
      address: srv.baseUrl,
      token: TOKEN,
      transport: transport(),
      arches: ["x86_64"],
      capacity: 1,
      version: "test",
      executor,
      logger: pino({ level: "silent" }),
      backoff: { initialMs: 50, maxMs: 500 },
    });
    void agent.run(stop.signal);

    // Live: the first line reaches the follower while the build is held at the gate.
    await waitFor("the first line at the follower", () => early.text().includes("before the gate\n"));
    expect((await jobs.getJob({ id: job!.id }, admin())).job!.state).toBe(JobState.RUNNING);
    expect(early.text()).not.toContain("after the gate");

    const logs = createClient(LogService, transport());
    const listed = await logs.listLogs({ targetId: target!.id }, admin());
    expect(listed.logs).toHaveLength(1);
    const logId = listed.logs[0]!.id;
    const late = follow({ id: logId });
    await waitFor("the late follower's catch-up", () => late.text().includes("before the gate\n"));

    midBuild.release();
    const [earlyText, lateText] = await Promise.all([early.done, late.done]);

    // Both streams ended with the job, in order and complete.
    expect(earlyText.indexOf("before the gate")).toBeLessThan(earlyText.indexOf("after the gate, line 1\n"));
    for (const line of [LINES_AFTER[0], LINES_AFTER[999], LINES_AFTER[1999]]) expect(earlyText).toContain(`${line}\n`);
    expect(lateText).toBe(earlyText);

    const ended = await jobs.getJob({ id: job!.id }, admin());
    expect(ended.job!.state).toBe(JobState.FAILED);
    expect(ended.job!.cause?.step).toBe(FailureStep.BUILD);

    const meta = (await logs.getLog({ id: logId }, admin())).log!;
    expect(meta).toMatchObject({ jobId: job!.id, arch: "x86_64", agent: "agent-logs", exitCode: 3 });
    expect(meta.result).toBe(JobState.FAILED);
    expect(meta.endTime).toBeDefined();

    const http = await fetch(`${srv.baseUrl}/api/v1/logs/${logId}/content`, { headers: { "x-api-key": srv.apiKey } });
    expect(http.status).toBe(200);
    expect(await http.text()).toBe(earlyText);
  });
});
