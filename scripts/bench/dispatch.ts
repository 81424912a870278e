/**
 * Issue 5, "Benchmark": how fast the server pushes a ready job to an agent.
 * A real server in this process (HTTP/2 on a loopback port) and real
 * `BuildAgent`s connected over gRPC, each with an executor that finishes at
 * once: no container is involved, so this measures dispatch, not builds.
 *   A. Latency: one idle agent; for each of N jobs (each of its own target),
 *      from `BuildTarget` returning to the agent's executor receiving the job.
 *   B. Throughput: 10 agents × 1 slot, drained while M jobs are queued, then
 *      resumed; jobs dispatched (and finished) per second until the last one
 *      reaches an executor.
 * Target: p99 ≤ 50 ms (loopback, idle agent). Throughput has no target.
 *
 *   npx tsx scripts/bench/dispatch.ts [--quick]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Interceptor, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { BuildAgent } from "../../agent/agent.js";
import type { BuildExecutor } from "../../agent/executor.js";
import { AgentService } from "../../gen/vieter/v1/agent_service_pb.js";
import { JobService } from "../../gen/vieter/v1/job_service_pb.js";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { createServer } from "../../server/app.js";
import { defaultServerConfig } from "../../server/config.js";
import { QUICK, note, percentile, printJson, printTable, round, verdict } from "./lib/report.js";

const LATENCY_JOBS = QUICK ? 50 : 200;
const THROUGHPUT_JOBS = QUICK ? 200 : 1000;
const AGENTS = 10;
const API_KEY = "bench-api-key-0123456789";
const tokenOf = (i: number) => `bench-agent-${i}-token-0123456789`;

const dataDir = mkdtempSync(join(tmpdir(), "vieter-bench-dispatch-"));
const config = defaultServerConfig({
  data_dir: dataDir,
  api_key: API_KEY,
  port: 0,
  host: "127.0.0.1",
  agent_tokens: new Map(Array.from({ length: AGENTS }, (_, i) => [`agent-${i}`, tokenOf(i)])),
});
const server = await createServer(config, { logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? "silent" }) });
const baseUrl = `http://127.0.0.1:${await server.listen()}`;
const withKey: Interceptor = (next) => (req) => (req.header.set("x-api-key", API_KEY), next(req));
const admin = createGrpcTransport({ baseUrl, interceptors: [withKey] });
const targets = createClient(TargetService, admin);
const jobs = createClient(JobService, admin);
const agentsAdmin = createClient(AgentService, admin);
const stop = new AbortController();

/** When each job reached an executor (performance.now()), and waiters for it. */
const received = new Map<number, number>();
/** SQL statements the server ran so far, and the count when each job reached an executor. */
let statements = 0;
server.context.store.em.getKnex().on("query", () => statements++);
const statementsAtReceipt = new Map<number, number>();
const waiters = new Map<number, () => void>();
const instant: BuildExecutor = async (req) => {
  received.set(req.jobId, performance.now());
  statementsAtReceipt.set(req.jobId, statements);
  waiters.get(req.jobId)?.();
  return { outcome: "skipped", message: "bench", lastLines: [], packages: [] };
};

function startAgent(i: number): BuildAgent {
  const agent = new BuildAgent({
    address: baseUrl,
    token: tokenOf(i),
    transport: createGrpcTransport({ baseUrl }),
    arches: ["x86_64"],
    capacity: 1,
    version: "bench",
    executor: instant,
    logger: pino({ level: "silent" }),
  });
  void agent.run(stop.signal);
  return agent;
}

async function createTargets(n: number, prefix: string): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < n; i += 16) {
    const batch = Array.from({ length: Math.min(16, n - i) }, (_, k) =>
      targets.createTarget({
        target: { kind: TargetKind.GIT, url: `https://example.com/${prefix}-${i + k}.git`, repo: "bench" },
      }),
    );
    ids.push(...(await Promise.all(batch)).map((r) => r.target!.id));
  }
  return ids;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

const connected = async () => (await agentsAdmin.listAgents({})).agents.filter((a) => a.connected).length;
const idle = async (n: number) =>
  (await agentsAdmin.listAgents({})).agents.filter((a) => a.connected && a.runningJobIds.length === 0).length === n;

const rows: (string | number)[][] = [["measure", "jobs", "p50 ms", "p99 ms", "max ms", "jobs/s", "CPU ms/job"]];
const figures: Record<string, unknown> = { noContainer: true };
try {
  // A. One idle agent, one job at a time.
  note(`A: ${LATENCY_JOBS} jobs, one at a time, to one idle agent`);
  const latencyTargets = await createTargets(LATENCY_JOBS, "latency");
  startAgent(0);
  await until(async () => (await connected()) === 1);
  const fromReturn: number[] = [];
  const fromCall: number[] = [];
  let beforeReturn = 0;
  const latencyCpu = process.cpuUsage();
  const latencyStatements = statements;
  const onPath: number[] = [];
  for (const targetId of latencyTargets) {
    const called = performance.now();
    const statementsAtCall = statements;
    const { jobs: queued } = await jobs.buildTarget({ targetId });
    const returned = performance.now();
    const id = Number(queued[0]!.id);
    if (!received.has(id)) await new Promise<void>((r) => waiters.set(id, r));
    const at = received.get(id)!;
    // BuildTarget's own statements and the dispatch's: what ran between the call and the agent holding the job.
    onPath.push(statementsAtReceipt.get(id)! - statementsAtCall);
    // The push may beat BuildTarget's own answer to the client; that counts as 0.
    if (at < returned) beforeReturn++;
    fromReturn.push(Math.max(0, at - returned));
    fromCall.push(at - called);
    await until(() => idle(1));
  }
  // Includes the bench's own polling for the idle agent between jobs, the same before and after a change.
  const latencyCpuMs = cpuMs(process.cpuUsage(latencyCpu)) / LATENCY_JOBS;
  const statementsPerJob = (statements - latencyStatements) / LATENCY_JOBS;
  note(
    `A: ${round(statementsPerJob, 1)} SQL statements per job in all; from BuildTarget called to the agent holding the job: p50 ${percentile(onPath, 50)}, max ${Math.max(...onPath)}`,
  );
  const p99 = percentile(fromReturn, 99);
  rows.push([
    "A BuildTarget returned → executor",
    LATENCY_JOBS,
    round(percentile(fromReturn, 50)),
    round(p99),
    round(Math.max(...fromReturn)),
    "",
    round(latencyCpuMs),
  ]);
  rows.push([
    "A BuildTarget called → executor",
    LATENCY_JOBS,
    round(percentile(fromCall, 50)),
    round(percentile(fromCall, 99)),
    round(Math.max(...fromCall)),
    "",
  ]);
  figures.latency = {
    jobs: LATENCY_JOBS,
    fromReturnP50Ms: round(percentile(fromReturn, 50)),
    fromReturnP99Ms: round(p99),
    fromCallP50Ms: round(percentile(fromCall, 50)),
    fromCallP99Ms: round(percentile(fromCall, 99)),
    pushedBeforeReturn: beforeReturn,
    cpuMsPerJob: round(latencyCpuMs),
    sqlPerJob: round(statementsPerJob, 1),
    sqlCallToAgentP50: percentile(onPath, 50),
    sqlCallToAgentMax: Math.max(...onPath),
    // Which of the jobs (0-based, in queueing order) made the tail: spread out, or periodic.
    slowestFromReturn: fromReturn
      .map((ms, index) => ({ index, ms: round(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };

  // B. Ten agents, jobs queued while they are drained, then released at once.
  note(`B: ${THROUGHPUT_JOBS} jobs across ${AGENTS} agents`);
  const throughputTargets = await createTargets(THROUGHPUT_JOBS, "throughput");
  for (let i = 1; i < AGENTS; i++) startAgent(i);
  await until(async () => (await connected()) === AGENTS);
  const names = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
  for (const name of names) await agentsAdmin.drainAgent({ name, draining: true });
  const ids: number[] = [];
  for (let i = 0; i < throughputTargets.length; i += 16) {
    const batch = throughputTargets.slice(i, i + 16).map((targetId) => jobs.buildTarget({ targetId }));
    ids.push(...(await Promise.all(batch)).map((r) => Number(r.jobs[0]!.id)));
  }
  const last = new Promise<void>((resolve) => {
    let left = ids.length;
    for (const id of ids) waiters.set(id, () => --left === 0 && resolve());
  });
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(names.map((name) => agentsAdmin.drainAgent({ name, draining: false })));
  await last;
  const seconds = (performance.now() - start) / 1000;
  const perSecond = THROUGHPUT_JOBS / seconds;
  // CPU of this whole process (server, agents, clients) per job: unlike the rate, not skewed by other load.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerJob = cpuMs(cpu) / THROUGHPUT_JOBS;
  rows.push([
    `B ${AGENTS} agents × 1 slot, resumed → last job received`,
    THROUGHPUT_JOBS,
    "",
    "",
    "",
    round(perSecond, 1),
    round(cpuMsPerJob),
  ]);
  figures.throughput = {
    agents: AGENTS,
    slotsPerAgent: 1,
    jobs: THROUGHPUT_JOBS,
    seconds: round(seconds, 3),
    jobsPerSecond: round(perSecond, 1),
    cpuMsPerJob: round(cpuMsPerJob),
  };

  printTable("Dispatch (no container: executors finish at once; loopback HTTP/2, gRPC)", rows);
  printTable("Targets", [
    ["target", "measured", "verdict"],
    ["A p99 BuildTarget returned → executor ≤ 50 ms", `${round(p99)} ms`, verdict(p99 <= 50)],
  ]);
  figures.targets = { latencyP99Ms: { target: 50, met: p99 <= 50 } };
  printJson("dispatch", figures);
} finally {
  stop.abort();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
