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
}

const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const note = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const [phase, dataDir] = process.argv.slice(2);
const quick = process.argv.includes("--quick");
const rssLoadedMb = mb();
// The first start follows the seeding (no next runs yet); the restart comes
// 3 h 20 min later, after the 03:00 runs of every target on the global schedule were missed.
const clock = manualClock(new Date(phase === "first" ? "2026-01-01T00:00:30Z" : "2026-01-01T03:20:30Z"));
const config = defaultServerConfig({ data_dir: dataDir!, api_key: "bench", port: 0, host: "127.0.0.1" });

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
 * What agents do between two passes, in SQL (only the pass is timed): finish
 * what they hold, then take the `n` oldest due jobs, as claims do.
 */
async function agentsTake(now: Date, n: number): Promise<void> {
  const t = now.getTime();
  await conn().execute(
    "update job set state = 'succeeded', ended_at = ?, lease_expires_at = null, active_pair = null where state = 'dispatched'",
    [t],
  );
  await conn().execute(
    `update job set state = 'dispatched', agent = 'bench', dispatched_at = ?, lease_expires_at = ?, pending_pair = null,
       needs_successor = (reason = 'scheduled'), active_pair = cast(target_id as text) || ':' || arch
     where id in (select id from job where state = 'queued' and due_at <= ? order by fair_at, id limit ?)`,
    [t, t + 3_600_000, t, n],
  );
}

async function timedPass(at: Date): Promise<{ ms: number; taken: number }> {
  clock.set(at);
  const t = process.hrtime.bigint();
  const result = await runSchedulingPass({ em: store.em.fork(), clock, events: jobEvents }, settings);
  return { ms: msSince(t), taken: result.taken };
}

function figures(taken: number, runs: { ms: number; taken: number }[]): PassFigures {
  const times = runs.map((r) => r.ms);
  return {
    taken,
    passes: runs.length,
    takenP50: percentile(
      runs.map((r) => r.taken),
      50,
    ),
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(Math.max(...times)),
  };
}

const passes: PassFigures[] = [];
let allSchedulesMs: number | undefined;
if (phase === "restart") {
  let at = clock.now().getTime();
  const idle = [];
  for (let i = 0; i < (quick ? 30 : 100); i++) idle.push(await timedPass(new Date((at += 1000))));
  passes.push(figures(0, idle));
  // An hour between rounds keeps thousands of jobs due, so each round takes its full count.
  for (const [taken, rounds] of [
    [20, quick ? 20 : 100],
    [200, quick ? 20 : 100],
    [2000, quick ? 3 : 10],
  ] as const) {
    note(`passes after ${taken} jobs were taken (${rounds} rounds)`);
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const when = new Date((at += 3_600_000));
      await agentsTake(when, taken);
      runs.push(await timedPass(when));
    }
    passes.push(figures(taken, runs));
  }
  const schedules: { schedule: string }[] = await conn().execute(
    "select schedule from job where pending_pair is not null",
  );
  const t1 = process.hrtime.bigint();
  for (const s of schedules) nextRun(s.schedule, "UTC", clock.now());
  allSchedulesMs = round(msSince(t1), 1);
}
const rssEndMb = mb();
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
