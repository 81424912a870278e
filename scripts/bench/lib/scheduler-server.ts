/**
 * One server start of the scheduler bench, in a process of its own: the
 * bench bundles this file with esbuild and runs it with plain `node`, so
 * resident memory is the server's, not a TypeScript loader's (tsx alone adds
 * ~140 MB). Prints progress to stderr and one `RESULT {json}` line to stdout.
 *
 *   node dist/bench/scheduler-server.mjs <first|restart> <data dir> [--quick]
 */
import { pino } from "pino";
import { createServer } from "../../../server/app.js";
import { defaultServerConfig } from "../../../server/config.js";
import { applyHeapPolicy } from "../../../server/heap-policy.js";
import { claimNextJob } from "../../../server/jobs/index.js";
import { nextRun, runSchedulingPass } from "../../../server/scheduler/index.js";
import { manualClock } from "../../../server/testing/app-context.js";
import { msSince, percentile, round } from "./report.js";

/** One phase's figures, read by scripts/bench/scheduler.ts. */
export interface PhaseResult {
  readonly startMs: number;
  /** Resident MB with every module loaded, before the server is created. */
  readonly rssLoadedMb: number;
  readonly rssAfterStartMb: number;
  readonly rssEndMb: number;
  /** Pending scheduled jobs after start: one per target×arch. */
  readonly pendingRuns: number;
  readonly passes: PassFigures[];
  /** Evaluating every pair's schedule in memory once, as the original's pass did. */
  readonly allSchedulesMs?: number;
}

/** Passes measured after agents took `taken` jobs each. */
export interface PassFigures {
  readonly taken: number;
  readonly passes: number;
  /** Jobs the passes found taken (equal to `taken` unless the due backlog ran short). */
  readonly takenP50: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU of the whole process during a pass (main thread and SQLite's threads), p50. */
  readonly cpuP50Ms: number;
  /** The claims that took the jobs before each pass: count, wall p50/p99, CPU p50. */
  readonly claims: number;
  readonly claimP50Ms: number;
  readonly claimP99Ms: number;
  readonly claimCpuP50Ms: number;
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
}

const ARCHES = ["x86_64", "aarch64"];
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const note = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const [phase, dataDir] = process.argv.slice(2);
const quick = process.argv.includes("--quick");
const rssLoadedMb = mb();
// The first start follows the seeding (no next runs yet); the restart comes
// 3 h 20 min later, after the 03:00 runs of every target on the global schedule were missed.
const clock = manualClock(new Date(phase === "first" ? "2026-01-01T00:00:30Z" : "2026-01-01T03:20:30Z"));
const config = defaultServerConfig({ data_dir: dataDir!, api_key: "bench", port: 0, host: "127.0.0.1" });

// As `vieter server` (server/main.ts) does before it creates the server.
applyHeapPolicy();
const t0 = process.hrtime.bigint();
const server = await createServer(config, { clock, logger: pino({ level: "silent" }) });
await server.listen();
const startMs = msSince(t0);
const rssAfterStartMb = mb();
const { store, jobEvents } = server.context;
const settings = { globalSchedule: config.global_schedule, timeZone: config.time_zone };
const conn = () => store.em.fork().getConnection();
const pending: { n: number }[] = await conn().execute("select count(*) as n from job where pending_pair is not null");
const pendingRuns = Number(pending[0]!.n);

/**
 * What agents do between two passes (only the claims and the pass are
 * timed): finish what they hold, in SQL, then take the `n` oldest due jobs
 * through the real claim (`claimNextJob`), both arches in turn.
 */
async function agentsTake(now: Date, n: number): Promise<Sample[]> {
  const t = now.getTime();
  await conn().execute(
    "update job set state = 'succeeded', ended_at = ?, lease_expires_at = null, active_pair = null where state = 'dispatched'",
    [t],
  );
  const claims: Sample[] = [];
  for (let i = 0; claims.length < n && i < 2 * n; i++) {
    const request = { arch: ARCHES[i % ARCHES.length]!, agent: "bench", leaseSeconds: 3600 };
    const sample = await timed(() => claimNextJob({ em: store.em.fork(), clock, events: jobEvents }, request));
    if (sample.result) claims.push(sample);
  }
  return claims;
}

/** Wall and CPU time (the whole process: SQLite works on libuv's threads) of one call. */
async function timed<T>(call: () => Promise<T>): Promise<Sample & { result: T }> {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const result = await call();
  const { user, system } = process.cpuUsage(cpu);
  return { ms: msSince(t), cpuMs: (user + system) / 1000, result };
}

async function timedPass(at: Date): Promise<Sample & { taken: number }> {
  clock.set(at);
  const { result, ...sample } = await timed(() =>
    runSchedulingPass({ em: store.em.fork(), clock, events: jobEvents }, settings),
  );
  return { ...sample, taken: result.taken };
}

const p50 = (samples: readonly number[]) => round(percentile(samples, 50));

function figures(taken: number, runs: (Sample & { taken: number })[], claims: Sample[]): PassFigures {
  const times = runs.map((r) => r.ms);
  return {
    taken,
    passes: runs.length,
    takenP50: percentile(
      runs.map((r) => r.taken),
      50,
    ),
    p50Ms: p50(times),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(Math.max(...times)),
    cpuP50Ms: p50(runs.map((r) => r.cpuMs)),
    claims: claims.length,
    claimP50Ms: p50(claims.map((c) => c.ms)),
    claimP99Ms: round(
      percentile(
        claims.map((c) => c.ms),
        99,
      ),
    ),
    claimCpuP50Ms: p50(claims.map((c) => c.cpuMs)),
  };
}

const passes: PassFigures[] = [];
let allSchedulesMs: number | undefined;
if (phase === "restart") {
  let at = clock.now().getTime();
  const idle = [];
  for (let i = 0; i < (quick ? 30 : 100); i++) idle.push(await timedPass(new Date((at += 1000))));
  passes.push(figures(0, idle, []));
  // An hour between rounds keeps thousands of jobs due, so each round takes its full count.
  for (const [taken, rounds] of [
    // Real claims cost milliseconds each: 11,000 of them in a full run, 3,200 in a quick one.
    [20, quick ? 10 : 50],
    [200, quick ? 5 : 20],
    [2000, quick ? 1 : 3],
  ] as const) {
    note(`passes after ${taken} jobs were taken (${rounds} rounds)`);
    const runs = [];
    const claims: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      const when = new Date((at += 3_600_000));
      clock.set(when);
      claims.push(...(await agentsTake(when, taken)));
      runs.push(await timedPass(when));
    }
    passes.push(figures(taken, runs, claims));
  }
  const schedules: { schedule: string }[] = await conn().execute(
    "select schedule from job where pending_pair is not null",
  );
  const t1 = process.hrtime.bigint();
  for (const s of schedules) nextRun(s.schedule, "UTC", clock.now());
  allSchedulesMs = round(msSince(t1), 1);
}
const rssEndMb = mb();
// Most of the heap at the end is garbage not yet collected (see server/heap-policy.ts).
const heap = process.memoryUsage();
const heapMb = (bytes: number) => Math.round(bytes / 1024 / 1024);
note(`memory at end: RSS ${rssEndMb} MB, heap used ${heapMb(heap.heapUsed)} of ${heapMb(heap.heapTotal)} MB`);
await server.close();

const result: PhaseResult = {
  startMs: round(startMs, 0),
  rssLoadedMb,
  rssAfterStartMb,
  rssEndMb,
  pendingRuns,
  passes,
  ...(allSchedulesMs === undefined ? {} : { allSchedulesMs }),
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
