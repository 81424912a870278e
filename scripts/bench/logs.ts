/**
 * Issue 6, "Speed": one build printing fast (lines of ~100 bytes, each
 * carrying its print time), and a follower measuring print → receipt.
 *   A. Through the domain API (`appendLog`), as the agent protocol calls it.
 *   B. Through the real agent protocol: an agent's AgentService.Connect
 *      stream over HTTP/2 into `vieter server` in its own process, output
 *      batched like agent/log-batcher.ts (≤ 1 MiB or ≤ 1 s), the follower on
 *      LogService.FollowLog over HTTP/2 (printer and follower share this
 *      process, so their clocks agree). Throughput at full speed, then
 *      latency at a steady 50,000 lines/s.
 * Targets: ≥ 50,000 lines/s ingested; a line reaches the follower ≤ 1 s after
 * it was printed (p50/p99 printed).
 *
 *   npx tsx scripts/bench/logs.ts [--quick]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Interceptor, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { LogBatcher } from "../../agent/log-batcher.js";
import { AgentService } from "../../gen/vieter/v1/agent_service_pb.js";
import { JobService, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { PROTOCOL_VERSION } from "../../lib/agent-protocol.js";
import { AsyncQueue } from "../../lib/async-queue.js";
import { createServer } from "../../server/app.js";
import { defaultServerConfig } from "../../server/config.js";
import { BENCH_API_KEY, type ChildServer, startChildServer } from "./lib/child-server.js";
import { QUICK, note, percentile, printJson, printTable, round, verdict } from "./lib/report.js";
import { LatencyProbe, printLines } from "./lib/log-lines.js";

const FULL_SPEED_LINES = QUICK ? 100_000 : 1_000_000;
const STEADY_RATE = 50_000;
const STEADY_SECONDS = QUICK ? 2 : 10;
const AGENT = "bench-agent";
const AGENT_TOKEN = "bench-agent-token-0123456789";

const dataDir = mkdtempSync(join(tmpdir(), "vieter-bench-logs-"));
const config = defaultServerConfig({ data_dir: join(dataDir, "a"), api_key: BENCH_API_KEY });
const server = await createServer(config, { logger: pino({ level: "silent" }) });
const { logs } = server.context;
let serverOpen = true;
let child: ChildServer | undefined;
const rows: (string | number)[][] = [["measure", "lines/s", "p50 ms", "p99 ms", "target"]];
const figures: Record<string, unknown> = {};

try {
  // A. appendLog, with one follower attached.
  note(`A: ${FULL_SPEED_LINES} lines through appendLog`);
  const jobId = 1_000_000;
  await logs.openLog(jobId, { targetId: 1, arch: "x86_64", agent: "bench" });
  const followerA = followLatency(logs.followJobLog(jobId), 0);
  const a = await printLines(0, FULL_SPEED_LINES, Infinity, (chunk) => logs.appendLog(jobId, chunk));
  await logs.closeLog(jobId, { result: "succeeded", exitCode: 0 });
  const aRate = FULL_SPEED_LINES / ((performance.now() - a.startedAt) / 1000);
  const aLat = await followerA.done;
  rows.push(["A appendLog, full speed", Math.round(aRate), round(aLat.p50), round(aLat.p99), verdict(aRate >= 50_000)]);
  figures.appendLog = {
    linesPerSecond: Math.round(aRate),
    latencyP50Ms: round(aLat.p50),
    latencyP99Ms: round(aLat.p99),
  };

  await server.close();
  serverOpen = false;

  // B. The agent protocol over HTTP/2, the server in its own process (from source).
  process.env.VIETER_FROM_SOURCE = "1";
  process.env.VIETER_AGENT_TOKENS = `${AGENT}:${AGENT_TOKEN}`;
  child = await startChildServer(join(dataDir, "b"));
  const baseUrl = child.baseUrl;
  const withKey =
    (key: string): Interceptor =>
    (next) =>
    (req) => (req.header.set("authorization", `Bearer ${key}`), next(req));
  const admin = createConnectTransport({ baseUrl, httpVersion: "2", interceptors: [withKey(BENCH_API_KEY)] });
  const agentTransport = createConnectTransport({ baseUrl, httpVersion: "2", interceptors: [withKey(AGENT_TOKEN)] });
  const { target } = await createClient(TargetService, admin).createTarget({
    target: { kind: TargetKind.GIT, url: "https://example.com/bench.git", repo: "bench", arches: ["x86_64"] },
  });
  const [job] = (await createClient(JobService, admin).buildTarget({ targetId: target!.id, force: true })).jobs;
  // The follower asks before the build starts: FollowLog by job waits for it.
  const steadyFrom = FULL_SPEED_LINES;
  const followerB = followLatency(
    (async function* () {
      for await (const { data } of createClient(LogService, admin).followLog({ jobId: job!.id })) yield data;
    })(),
    steadyFrom,
  );

  const outgoing = new AsyncQueue<any>();
  outgoing.push({
    message: {
      case: "hello",
      value: { name: AGENT, arches: ["x86_64"], capacity: 1, version: "bench", protocolVersion: PROTOCOL_VERSION },
    },
  });
  const incoming = createClient(AgentService, agentTransport).connect(outgoing)[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await incoming.next();
    if (done) throw new Error("the server ended the agent stream");
    if (value.message.case === "assignment") break;
  }
  const id = job!.id;
  outgoing.push({ message: { case: "jobUpdate", value: { jobId: id, state: JobState.RUNNING } } });
  const heartbeat = setInterval(() => outgoing.push({ message: { case: "heartbeat", value: { jobIds: [id] } } }), 2000);
  const batcher = new LogBatcher((data) =>
    outgoing.push({ message: { case: "logChunk", value: { jobId: id, data } } }),
  );

  note(`B: ${FULL_SPEED_LINES} lines at full speed through AgentService.Connect`);
  const b = await printLines(0, FULL_SPEED_LINES, Infinity, (chunk) => batcher.append(chunk));
  batcher.flush();
  // Ingested = the server's log holds every byte.
  const logClient = createClient(LogService, admin);
  const stored = async () => (await logClient.listLogs({ targetId: target!.id })).logs[0]?.size ?? 0n;
  while ((await stored()) < BigInt(b.bytes)) await new Promise((r) => setTimeout(r, 5));
  const bRate = FULL_SPEED_LINES / ((performance.now() - b.startedAt) / 1000);
  rows.push(["B agent stream, full speed", Math.round(bRate), "", "", verdict(bRate >= 50_000)]);
  // The steady phase starts once the follower has read the burst, so its backlog does not count as latency.
  while (followerB.probe.lastLine < FULL_SPEED_LINES - 1) await new Promise((r) => setTimeout(r, 5));
  const caughtUp = FULL_SPEED_LINES / ((performance.now() - b.startedAt) / 1000);
  rows.push(["B follower over HTTP/2, burst read", Math.round(caughtUp), "", "", ""]);

  note(`B: ${STEADY_RATE} lines/s for ${STEADY_SECONDS} s, follower latency`);
  await printLines(steadyFrom, STEADY_RATE * STEADY_SECONDS, STEADY_RATE, (chunk) => batcher.append(chunk));
  batcher.flush();
  outgoing.push({ message: { case: "jobUpdate", value: { jobId: id, state: JobState.SUCCEEDED } } });
  const bLat = await followerB.done;
  clearInterval(heartbeat);
  outgoing.close();
  rows.push([
    `B agent stream, ${STEADY_RATE}/s`,
    STEADY_RATE,
    round(bLat.p50),
    round(bLat.p99),
    verdict(bLat.p99 <= 1000),
  ]);
  figures.agentStream = {
    linesPerSecond: Math.round(bRate),
    followerBurstLinesPerSecond: Math.round(caughtUp),
    steadyRate: STEADY_RATE,
    latencyP50Ms: round(bLat.p50),
    latencyP99Ms: round(bLat.p99),
  };

  printTable("Build logs: ingest and follow (targets: ≥ 50,000 lines/s; p99 ≤ 1,000 ms)", rows);
  printJson("logs", figures);
} finally {
  if (serverOpen) await server.close();
  await child?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** Reads a followed log to its end; latencies of lines numbered `from` and up. */
function followLatency(
  source: AsyncIterable<Uint8Array>,
  from: number,
): { probe: LatencyProbe; done: Promise<{ p50: number; p99: number }> } {
  const probe = new LatencyProbe(from);
  const done = (async () => {
    for await (const chunk of source) probe.take(chunk);
    return { p50: percentile(probe.samples, 50), p99: percentile(probe.samples, 99) };
  })();
  return { probe, done };
}
