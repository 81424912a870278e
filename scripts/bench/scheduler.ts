/**
 * Issue 4, "Speed": 10,000 targets × 2 arches with varied schedules.
 * Prints server start time (store open + migrations + slot reconcile + first
 * scheduling pass, through createServer + listen), the time of one
 * scheduling pass in several situations, and resident memory.
 * Budgets from the issue: start ≤ 3 s, pass ≤ 20 ms, RSS ≤ 200 MB.
 *
 *   npx tsx scripts/bench/scheduler.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return "";
    case 4:
    case 5:
    case 6:
      return `${m} ${h}`;
    case 7:
      return "*/15 *";
    case 8:
      return `${m} */6`;
    default:
      return `${m} ${h} */3 1-12`;
  }
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

const dataDir = mkdtempSync(join(tmpdir(), "vieter-bench-scheduler-"));
const config = defaultServerConfig({ data_dir: dataDir, api_key: "bench", port: 0, host: "127.0.0.1" });
const clock = manualClock(new Date("2026-01-01T00:00:00Z"));
const logger = pino({ level: "silent" });

try {
  // 1. A fresh database: open + every migration.
  let t0 = process.hrtime.bigint();
  const seedStore = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  line("store open + migrations (empty database)", `${ms(t0).toFixed(1)} ms`);

  // 2. Import 10,000 targets × 2 arches directly (as if upgraded from a database without slots).
  t0 = process.hrtime.bigint();
  const em = seedStore.em.fork();
  const now = clock.now();
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
  await seedStore.close();
  line(`seeded ${TARGETS} targets × ${ARCHES.length} arches`, `${ms(t0).toFixed(0)} ms (not part of start)`);

  // 3. Server start, twice: the first creates 20,000 slots; the restart finds them
  //    in place, three hours later, with the 03:00 runs missed.
  const start = async (label: string) => {
    const t = process.hrtime.bigint();
    const server = await createServer(config, { clock, logger });
    await server.listen();
    line(label, `${ms(t).toFixed(0)} ms`);
    return server;
  };
  clock.set(new Date("2026-01-01T00:00:30Z"));
  const first = await start("server start, first (creates 20,000 slots)");
  await first.close();
  clock.set(new Date("2026-01-01T03:20:30Z"));
  const server = await start("server start, restart (missed 03:00 runs → jobs)");
  line("resident memory after start", `${mb()} MB`);

  // 4. Scheduling passes on the running server's database.
  const { store, jobEvents } = server.context;
  const drain = () =>
    store.em
      .fork()
      .getConnection()
      .execute("update job set state = 'succeeded', pending_pair = null where state = 'queued'");
  const pass = async (at: Date) => {
    clock.set(at);
    const t = process.hrtime.bigint();
    const r = await runSchedulingPass({ em: store.em.fork(), clock, events: jobEvents });
    return { time: ms(t), due: r.dueSlots, queued: r.queued.length };
  };
  const show = (label: string, r: { time: number; due: number; queued: number }) =>
    line(label, `${r.time.toFixed(1)} ms (${r.due} slots due, ${r.queued} jobs queued)`);

  // A simulated day, one pass a minute; agents take every job between passes.
  const day: { time: number; due: number; queued: number }[] = [];
  const begin = Date.UTC(2026, 0, 1, 3, 21, 5);
  for (let minute = 0; minute < 1440; minute++) {
    await drain();
    day.push(await pass(new Date(begin + minute * 60_000)));
  }
  const times = day.map((d) => d.time).sort((a, b) => a - b);
  const idle = day
    .filter((d) => d.due === 0)
    .map((d) => d.time)
    .sort((a, b) => a - b);
  const worst = day.reduce((a, b) => (b.time > a.time ? b : a));
  line("one pass, simulated day (1,440 passes): median", `${times[720]!.toFixed(2)} ms`);
  line("  p90 / p99", `${times[1296]!.toFixed(2)} ms / ${times[1425]!.toFixed(2)} ms`);
  line(
    `  nothing due (${idle.length} passes): median / max`,
    `${idle[idle.length >> 1]!.toFixed(2)} ms / ${idle.at(-1)!.toFixed(2)} ms`,
  );
  show("  slowest pass of the day", worst);
  await drain();
  await store.em.fork().getConnection().execute("update schedule_slot set next_run_at = 0");
  show("one pass, worst case: all 20,000 slots due at once", await pass(new Date("2026-01-02T04:00:05Z")));

  // What the pass figure measures in the original design: evaluating
  // every target×arch's schedule once.
  const slots: { schedule: string }[] = await store.em
    .fork()
    .getConnection()
    .execute("select schedule from schedule_slot");
  const t1 = process.hrtime.bigint();
  for (const s of slots) nextRun(s.schedule, "UTC", new Date(begin + 12_345));
  line(`next run of all ${slots.length} target×arch schedules, in memory`, `${ms(t1).toFixed(1)} ms`);
  line("resident memory at the end", `${mb()} MB`);
  await server.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
