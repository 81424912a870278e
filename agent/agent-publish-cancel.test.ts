/**
 * BuildAgent: a cancel that arrives while it publishes. A fake AgentService
 * over an in-memory router stands in for the server's agent protocol, a local
 * HTTP server for its publish route, and a fake executor for the container
 * build; the agent's own publishing code is real.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { createRouterTransport } from "@connectrpc/connect";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AgentService, type ConnectRequest, type ConnectResponseSchema } from "../gen/vieter/v1/agent_service_pb.js";
import { JobState } from "../gen/vieter/v1/job_service_pb.js";
import { AsyncQueue } from "../lib/async-queue.js";
import { BuildAgent } from "./agent.js";

type ToAgent = MessageInitShape<typeof ConnectResponseSchema>;

let dir: string;
let files: string[];
let server: Server;
let address: string;
/** How the publish server answers the n-th upload (0-based); it records each request. */
let answer: (n: number, req: IncomingMessage, res: ServerResponse) => void;
let uploads: IncomingMessage[] = [];
const stops: AbortController[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-agent-cancel-"));
  files = [join(dir, "one-1.0-1-any.pkg.tar.zst"), join(dir, "two-1.0-1-any.pkg.tar.zst")];
  for (const f of files) await writeFile(f, `bytes of ${f}`);
  server = createServer((req, res) => {
    uploads.push(req);
    answer(uploads.length - 1, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const s of stops.splice(0)) s.abort();
  uploads = [];
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs an agent whose build succeeds with `files`, against a fake AgentService that assigns job 7. */
function startAgent() {
  const toAgent = new AsyncQueue<ToAgent>();
  const fromAgent = new AsyncQueue<ConnectRequest>();
  const transport = createRouterTransport(({ service }) =>
    service(AgentService, {
      async *connect(requests) {
        void (async () => {
          for await (const r of requests) fromAgent.push(r);
        })();
        yield* toAgent;
      },
    }),
  );
  const agent = new BuildAgent({
    address,
    token: "agent-token-0123456789",
    transport,
    arches: ["x86_64"],
    capacity: 1,
    version: "test",
    executor: async () => ({ outcome: "succeeded", message: "built", lastLines: ["==> Finished"], packages: files }),
    logger: pino({ level: "silent" }),
  });
  const stop = new AbortController();
  stops.push(stop);
  void agent.run(stop.signal);
  toAgent.push({ message: { case: "welcome", value: { heartbeatIntervalSeconds: 3600, leaseSeconds: 7200 } } });
  toAgent.push({
    message: {
      case: "assignment",
      value: {
        job: { id: 7n, arch: "x86_64" },
        spec: { kind: "git", url: "https://example.com/x.git", repo: "extra" },
      },
    },
  });
  const cancel = () => toAgent.push({ message: { case: "cancel", value: { jobId: 7n, reason: "stop it" } } });
  return { fromAgent: fromAgent[Symbol.asyncIterator](), cancel };
}

/** Reads the agent's messages up to its final report on job 7; returns it and the log text. */
async function finalReport(fromAgent: AsyncIterator<ConnectRequest>) {
  let log = "";
  for (;;) {
    const { value, done } = await fromAgent.next();
    if (done) throw new Error("the agent's stream ended before its final report");
    const m = value.message;
    if (m.case === "logChunk") log += Buffer.from(m.value.data).toString();
    if (m.case === "jobUpdate" && m.value.state !== JobState.RUNNING) return { update: m.value, log };
  }
}

/** Reads an upload's body, then answers `status`. */
function take(req: IncomingMessage, res: ServerResponse, status: number): void {
  req.resume();
  req.on("end", () => res.writeHead(status).end(status === 200 ? "ok" : "unavailable"));
}

describe("BuildAgent: a cancel while publishing (fake AgentService, local publish server)", () => {
  it("stops the upload under way and ends cancelled; the package already published stays", async () => {
    let second!: () => void;
    const secondArrived = new Promise<void>((resolve) => (second = resolve));
    const secondClosed = new Promise<void>((resolve) => {
      answer = (n, req, res) => {
        if (n === 0) return take(req, res, 200);
        // The second upload never gets an answer: it is under way when the cancel comes.
        req.on("close", () => resolve());
        second();
      };
    });
    const { fromAgent, cancel } = startAgent();
    await secondArrived;
    cancel();
    const { update, log } = await finalReport(fromAgent);
    await secondClosed; // the agent gave up the upload itself
    expect(update.state).toBe(JobState.CANCELLED);
    expect(update.cause?.message).toBe(
      "cancelled while publishing: 1 of 2 package(s) were published and stay in the repository",
    );
    expect(log).toContain("==> vieter: cancelled while publishing (stop it)\n");
    expect(log).toContain("==> vieter: already published, they stay in the repository: one-1.0-1-any.pkg.tar.zst\n");
    expect(log).toContain("==> vieter: not published: two-1.0-1-any.pkg.tar.zst\n");
    expect(update.cause?.lastLines.at(-1)).toBe("==> vieter: not published: two-1.0-1-any.pkg.tar.zst");
    expect(uploads).toHaveLength(2);
  });

  // Whether the cancel finds the agent reading the 503 or waiting to try again, the job is cancelled.
  it("ends cancelled, not failed, when the cancel comes while the server answers 5xx", async () => {
    let refused!: () => void;
    const firstRefused = new Promise<void>((resolve) => (refused = resolve));
    answer = (_, req, res) => {
      take(req, res, 503);
      res.on("finish", refused);
    };
    const { fromAgent, cancel } = startAgent();
    await firstRefused;
    cancel();
    const { update, log } = await finalReport(fromAgent);
    expect(update.state).toBe(JobState.CANCELLED);
    expect(update.cause?.message).toMatch(/^cancelled while publishing: 0 of 2 package\(s\)/);
    expect(log).toContain("==> vieter: already published, they stay in the repository: none\n");
    expect(log).toContain("==> vieter: not published: one-1.0-1-any.pkg.tar.zst, two-1.0-1-any.pkg.tar.zst\n");
  });
});
