/**
 * Issue 4, "Speed": 10,000 targets × 2 arches with varied schedules. Server
 * start ≤ 3 s, one scheduling pass ≤ 20 ms, resident memory ≤ 200 MB.
 *
 *   npx tsx scripts/bench/scheduler.ts [--quick]
 *
 * Seeds the targets (no next runs yet, as after an upgrade) and 200,000
 * finished jobs of history, then starts the server twice, each time in a
 * process of its own running an esbuild bundle with plain `node`
 * (lib/scheduler-server.ts), so start time and memory are the server's as
 * `bin/vieter.js` runs it: first start (queues 20,000 next runs), then a
 * restart after the 03:00 runs were missed, followed by scheduling passes
 * after agents took 0, 20, 200 and 2,000 jobs through the real claim (each
 * claim timed too, since a claim of a scheduled job queues its successor).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { TargetArchEntity, TargetEntity } from "../../server/store/entities/target.js";
import { openStore } from "../../server/store/orm.js";
import { QUICK, msSince, note, printJson, printTable, round, verdict } from "./lib/report.js";
import { serverNodeArgs } from "./lib/node-args.js";
import type { PhaseResult } from "./lib/scheduler-server.js";

const TARGETS = 10_000;
const ARCHES = ["x86_64", "aarch64"];
const HISTORY = QUICK ? 20_000 : 200_000;
const CHUNK = 200;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const BUDGET = { startMs: 3000, passMs: 20, rssMb: 200 };

/** A deterministic spread of schedules: 40% the global one ("0 3"), the rest mixed. */
function scheduleFor(i: number): string {
  const m = (i * 7) % 60;
  const h = (i * 5) % 24;
  if (i % 10 < 4) return "";
  if (i % 10 < 7) return `${m} ${h}`;
  if (i % 10 === 7) return "*/15 *";
  if (i % 10 === 8) return `${m} */6`;
  return `${m} ${h} */3 1-12`;
}

/** Seeds the database directly: targets without next runs, and finished jobs as history. */
async function seed(dataDir: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
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
  // One build every 6 s before the first start, spread over all pairs.
  await em.getConnection().execute(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
     insert into job (target_id, arch, reason, state, agent, created_at, due_at, fair_at,
                      dispatched_at, started_at, ended_at, schedule, time_zone)
     select i % ${TARGETS} + 1, case i % 2 when 0 then 'x86_64' else 'aarch64' end, 'scheduled', 'succeeded',
            'bench', t, t, t, t, t, t + 60000, '0 3', 'UTC'
     from (select i, ? - i * 6000 as t from n)`,
    [HISTORY, now.getTime()],
  );
  await store.close();
  return msSince(t0);
}

/** Bundles the server phase so it runs without a TypeScript loader. */
async function bundle(): Promise<string> {
  const outfile = join(ROOT, "dist/bench/scheduler-server.mjs");
  await build({
    entryPoints: [join(ROOT, "scripts/bench/lib/scheduler-server.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return outfile;
}

function runPhase(script: string, phase: string, dataDir: string): PhaseResult {
  note(`server start: ${phase}`);
  // BENCH_SERVER_NODE_ARGS (e.g. "--trace-gc"): node options for the phase processes.
  const nodeArgs = serverNodeArgs();
  const args = [...nodeArgs, script, phase, dataDir, ...(QUICK ? ["--quick"] : [])];
  const out = execFileSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (nodeArgs.length > 0) writeFileSync(join(tmpdir(), `vieter-bench-scheduler-${phase}.out`), out);
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`phase ${phase} printed no result:\n${out}`);
  return JSON.parse(line.slice("RESULT ".length)) as PhaseResult;
}

const dataDir = mkdtempSync(join(tmpdir(), "vieter-bench-scheduler-"));
try {
  note(`seeding ${TARGETS} targets × ${ARCHES.length} arches and ${HISTORY} finished jobs`);
  const seedMs = await seed(dataDir);
  const script = await bundle();
  const first = runPhase(script, "first", dataDir);
  const restart = runPhase(script, "restart", dataDir);

  printTable("Server start (createServer + listen: store, migrations, reconcile, first pass)", [
    ["start", "time", "RSS modules loaded", "RSS after start", "RSS at end", "pending runs"],
    ...[
      ["first (queues 20,000 next runs)", first],
      ["restart (03:00 runs missed)", restart],
    ].map(([label, r]) => {
      const p = r as PhaseResult;
      return [
        label as string,
        `${p.startMs} ms`,
        `${p.rssLoadedMb} MB`,
        `${p.rssAfterStartMb} MB`,
        `${p.rssEndMb} MB`,
        p.pendingRuns,
      ];
    }),
  ]);
  printTable("One scheduling pass after agents took N jobs with real claims (restarted server)", [
    ["taken", "passes", "flagged p50", "p50", "p99", "max", "CPU p50", "claims", "claim p50 / p99", "claim CPU p50"],
    ...restart.passes.map((p) => [
      p.taken,
      p.passes,
      p.takenP50,
      `${p.p50Ms} ms`,
      `${p.p99Ms} ms`,
      `${p.maxMs} ms`,
      `${p.cpuP50Ms} ms`,
      p.claims,
      p.claims ? `${p.claimP50Ms} / ${p.claimP99Ms} ms` : "—",
      p.claims ? `${p.claimCpuP50Ms} ms` : "—",
    ]),
  ]);
  process.stdout.write(
    `\nFor comparison: the next run of all ${TARGETS * ARCHES.length} schedules in memory, ` +
      `as the original's pass computed: ${restart.allSchedulesMs} ms. Seeding took ${round(seedMs, 0)} ms.\n`,
  );
  const rss = Math.max(first.rssAfterStartMb, first.rssEndMb, restart.rssAfterStartMb, restart.rssEndMb);
  const pass = (taken: number) => restart.passes.find((p) => p.taken === taken)!;
  printTable("Targets", [
    ["target", "measured", "result"],
    ["first start ≤ 3 s", `${first.startMs} ms`, verdict(first.startMs <= BUDGET.startMs)],
    ["restart ≤ 3 s", `${restart.startMs} ms`, verdict(restart.startMs <= BUDGET.startMs)],
    ...[0, 20, 200, 2000].map((n) => [
      `pass after ${n} taken, p50 ≤ 20 ms`,
      `${pass(n).p50Ms} ms (p99 ${pass(n).p99Ms} ms)`,
      verdict(pass(n).p50Ms <= BUDGET.passMs),
    ]),
    ["resident memory ≤ 200 MB (largest of both starts)", `${rss} MB`, verdict(rss <= BUDGET.rssMb)],
  ]);
  printJson("scheduler", { targets: TARGETS, arches: ARCHES.length, history: HISTORY, first, restart, rssMb: rss });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
