/**
 * Issue 4, "Speed": 10,000 targets × 2 arches with varied schedules.
 * Prints server start time (store open + migrations + reconcile + first
 * scheduling pass, through createServer + listen), the time of one
 * scheduling pass in several situations, and resident memory.
 * Budgets from the issue: start ≤ 3 s, pass ≤ 20 ms, RSS ≤ 200 MB.
 *
 *   npx tsx scripts/bench/scheduler.ts
 *
 * Each server start runs in a process of its own (this script, with
 * `--phase`), so its resident memory is not the seeding's.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { createServer } from "../../server/app.js";
import { defaultServerConfig } from "../../server/config.js";
import { nextRun, runSchedulingPass } from "../../server/scheduler/index.js";
import { TargetArchEntity, TargetEntity } from "../../server/store/entities/target.js";
import { openStore } from "../../server/store/orm.js";
import { manualClock } from "../../server/testing/app-context.js";

const TARGETS = 10_000;
const ARCHES = ["x86_64", "aarch64"];
const CHUNK = 200;

/** A deterministic spread of schedules: 40% the global one, the rest mixed. */
function scheduleFor(i: number): string {
  const m = (i * 7) % 60;
  const h = (i * 5) % 24;
  if (i % 10 < 4) return "";
  if (i % 10 < 7) return `${m} ${h}`;
  if (i % 10 === 7) return "*/15 *";
  if (i % 10 === 8) return `${m} */6`;
  return `${m} ${h} */3 1-12`;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const line = (label: string, value: string) => console.log(`${label.padEnd(62)} ${value}`);
const logger = pino({ level: "silent" });
const configFor = (dataDir: string) =>
  defaultServerConfig({ data_dir: dataDir, api_key: "bench", port: 0, host: "127.0.0.1" });

/** Seeds the database directly, without next runs (as after an upgrade). */
async function seed(dataDir: string): Promise<void> {
  let t0 = process.hrtime.bigint();
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  line("store open + migrations (empty database)", `${ms(t0).toFixed(1)} ms`);
  t0 = process.hrtime.bigint();
  const em = store.em.fork();
  const now = new Date("2026-01-01T00:00:00Z");
  for (let i = 0; i < TARGETS; i += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, TARGETS - i) }, (_, k) => ({
      kind: "git",
      url: `https://example.com/pkg-${i + k}.git`,
      repo: "main",
      schedule: scheduleFor(i + k),
      createdAt: now,
      updatedAt: now,
    }));
    await em.createQueryBuilder(TargetEntity).insert(rows).execute();
  }
  for (let i = 0; i < TARGETS; i += CHUNK) {
    const rows = [];
    for (let id = i + 1; id <= Math.min(i + CHUNK, TARGETS); id++)
      for (const arch of ARCHES) rows.push({ target: id, arch });
    await em.createQueryBuilder(TargetArchEntity).insert(rows).execute();
  }
  await store.close();
  line(`seeded ${TARGETS} targets × ${ARCHES.length} arches`, `${ms(t0).toFixed(0)} ms (not part of start)`);
}

/** One server start at `at`; with `passes`, then the scheduling passes. */
async function serve(dataDir: string, label: string, at: string, passes: boolean): Promise<void> {
  const clock = manualClock(new Date(at));
  const t0 = process.hrtime.bigint();
  const server = await createServer(configFor(dataDir), { clock, logger });
  await server.listen();
  line(label, `${ms(t0).toFixed(0)} ms, then ${mb()} MB resident`);
  if (passes) await measurePasses(server.context, clock);
  await server.close();
}

type Ctx = Awaited<ReturnType<typeof createServer>>["context"];

/**
 * Passes at a simulated farm's pace: between passes agents finish what they
 * hold and take up to `perMinute` due jobs (in SQL here; the pass is timed).
 */
async function measurePasses({ store, jobEvents, config }: Ctx, clock: ReturnType<typeof manualClock>) {
  const conn = () => store.em.fork().getConnection();
  const settings = { globalSchedule: config.global_schedule, timeZone: config.time_zone };
  const agentsWork = async (now: Date, perMinute: number) => {
    const t = now.getTime();
    await conn().execute(
      "update job set state = 'succeeded', ended_at = ?, active_pair = null where state = 'dispatched'",
      [t],
    );
    await conn().execute(
      `update job set state = 'dispatched', agent = 'bench', dispatched_at = ?, pending_pair = null,
         needs_successor = (reason = 'scheduled'), active_pair = cast(target_id as text) || ':' || arch
       where id in (select id from job where state = 'queued' and due_at <= ? order by fair_at, id limit ?)`,
      [t, t, perMinute],
    );
  };
  const pass = async (at: Date) => {
    clock.set(at);
    const t = process.hrtime.bigint();
    const r = await runSchedulingPass({ em: store.em.fork(), clock, events: jobEvents }, settings);
    return { time: ms(t), taken: r.taken };
  };
  const stats = (label: string, runs: { time: number; taken: number }[]) => {
    const times = runs.map((d) => d.time).sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    line(label, `median ${q(0.5)} / p99 ${q(0.99)} / max ${q(1)} ms`);
  };

  const idle = [];
  for (let s = 0; s < 100; s++) idle.push(await pass(new Date(Date.UTC(2026, 0, 1, 3, 21, s % 60, s))));
  stats("one pass, nothing taken (100 passes)", idle);
  let begin = Date.UTC(2026, 0, 1, 3, 22, 5);
  for (const perMinute of [20, 200]) {
    const day = [];
    for (let minute = 0; minute < 1440; minute++) {
      const at = new Date(begin + minute * 60_000);
      await agentsWork(at, perMinute);
      day.push(await pass(at));
    }
    begin += 1440 * 60_000;
    const busy = day.filter((d) => d.taken > 0);
    stats(`one pass a minute for a day, ≤ ${perMinute} jobs taken a minute`, day);
    stats(`  of those, passes after jobs were taken (${busy.length})`, busy);
  }
  // 03:00 the next day: every target on the global schedule, and more, due at once.
  const burstAt = new Date(Date.UTC(2026, 0, 4, 3, 0, 30));
  await agentsWork(burstAt, 20_000);
  const burst = await pass(burstAt);
  line("one pass after agents took every due job at once", `${burst.time.toFixed(1)} ms (${burst.taken} taken)`);

  // For comparison with the original design, which evaluated every schedule in a pass.
  const schedules: { schedule: string }[] = await conn().execute(
    "select schedule from job where pending_pair is not null",
  );
  const t1 = process.hrtime.bigint();
  for (const s of schedules) nextRun(s.schedule, "UTC", burstAt);
  line(`next run of all ${schedules.length} target×arch schedules, in memory`, `${ms(t1).toFixed(1)} ms`);
  line("resident memory at the end", `${mb()} MB`);
}

const args = process.argv.slice(2);
if (args[0] === "--phase") {
  const [, phase, dataDir] = args;
  if (phase === "first")
    await serve(dataDir!, "server start, first (queues 20,000 next runs)", "2026-01-01T00:00:30Z", false);
  else await serve(dataDir!, "server start, restart (03:00 runs missed while down)", "2026-01-01T03:20:30Z", true);
} else {
  const dataDir = mkdtempSync(join(tmpdir(), "vieter-bench-scheduler-"));
  try {
    await seed(dataDir);
    const self = fileURLToPath(import.meta.url);
    for (const phase of ["first", "restart"]) {
      execFileSync(process.execPath, [...process.execArgv, self, "--phase", phase, dataDir], { stdio: "inherit" });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
