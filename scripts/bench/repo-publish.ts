/**
 * Issue 3, "Speed": publish one small package into an arch-repo that already
 * holds 1,000 and 10,000 packages — server-side (in-process
 * `repository.publish`) and over HTTP — next to Debian's `repo-add` adding
 * one package to a database of the same size, in the same run.
 *
 *   npx tsx scripts/bench/repo-publish.ts [--quick]
 */
import { TEST_API_KEY, startTestServer } from "../../e2e/setup/server.js";
import { fillInProcess, publishInProcess } from "./lib/in-process.js";
import { type BenchPackage, makeBenchPackage, makeBenchPackages } from "./lib/packages.js";
import { closeClients, post } from "./lib/post.js";
import { type DbSnapshot, type RepoAddTiming, timeRepoAdd } from "./lib/repo-add.js";
import { QUICK, msSince, note, percentile, printJson, printTable, round, verdict } from "./lib/report.js";

const REPO = "bench";
const ARCH = "x86_64";
/** Arch-repo sizes at which our publish is measured (small, large). */
const SIZES = QUICK ? [200, 2_000] : [1_000, 10_000];
/** Sizes at which repo-add is measured, with a time budget each (ms). */
const REPO_ADD: ReadonlyArray<readonly [number, number]> = QUICK
  ? [
      [200, 5_000],
      [2_000, 10_000],
    ]
  : [
      [1_000, 10_000],
      [2_000, 15_000],
      [10_000, 40_000],
    ];
const REPO_ADD_MAX_ADDS = 5;
const SAMPLES = QUICK ? 30 : 100;
const WARMUP = 30;

interface SizeResult {
  size: number;
  inProcessMs: number[];
  httpMs: number[];
  assembleMs: number[];
}

const server = await startTestServer();
const repository = server.server.context.repository;
let probe = 0;
const probePackage = (): BenchPackage => makeBenchPackage({ name: `probe-${probe++}` });

async function publishHttp(pkg: BenchPackage): Promise<number> {
  const start = process.hrtime.bigint();
  const { status, text } = await post(`${server.baseUrl}/${REPO}/publish`, pkg.data, TEST_API_KEY);
  const ms = msSince(start);
  if (status !== 200) throw new Error(`publish answered ${status}: ${text}`);
  return ms;
}

/** Time to assemble the `.db` after a change: what the next GET pays once. */
async function timeAssembly(): Promise<number> {
  const start = process.hrtime.bigint();
  await repository.archive(REPO, ARCH, "db");
  return msSince(start);
}

async function measureAt(size: number): Promise<SizeResult> {
  for (let i = 0; i < WARMUP; i++) await publishInProcess(repository, REPO, probePackage());
  const result: SizeResult = { size, inProcessMs: [], httpMs: [], assembleMs: [] };
  for (let i = 0; i < SAMPLES; i++) {
    result.inProcessMs.push(await publishInProcess(repository, REPO, probePackage()));
    result.assembleMs.push(await timeAssembly());
  }
  for (let i = 0; i < WARMUP; i++) await publishHttp(probePackage());
  for (let i = 0; i < SAMPLES; i++) result.httpMs.push(await publishHttp(probePackage()));
  return result;
}

async function snapshot(entries: number): Promise<DbSnapshot> {
  const db = await repository.archive(REPO, ARCH, "db");
  const files = await repository.archive(REPO, ARCH, "files");
  return { entries, db: db!.data, files: files!.data };
}

// Fill the arch-repo step by step, measuring at each checkpoint.
const checkpoints = [...new Set([...SIZES, ...REPO_ADD.map(([n]) => n)])].sort((a, b) => a - b);
let count = 0;
let filled = 0;
let fillMs = 0;
const results: SizeResult[] = [];
const snapshots: DbSnapshot[] = [];
for (const checkpoint of checkpoints) {
  const packages = makeBenchPackages("fill", checkpoint - count, ARCH, filled);
  note(`filling ${REPO}/${ARCH} from ${count} to ${checkpoint} packages`);
  fillMs += await fillInProcess(repository, REPO, packages);
  filled += packages.length;
  count = checkpoint;
  if (REPO_ADD.some(([n]) => n === checkpoint)) snapshots.push(await snapshot(count));
  if (SIZES.includes(checkpoint)) {
    note(`measuring publish at ${checkpoint} packages (${SAMPLES} in-process, ${SAMPLES} over HTTP)`);
    results.push(await measureAt(checkpoint));
    count += 2 * (SAMPLES + WARMUP);
  }
}
closeClients();
await server.stop();

const repoAdd: RepoAddTiming[] = [];
for (const snap of snapshots) {
  const budget = REPO_ADD.find(([n]) => n === snap.entries)![1];
  note(`timing repo-add on a ${snap.entries}-entry database (budget ${budget / 1000} s)`);
  const packages = Array.from({ length: REPO_ADD_MAX_ADDS }, (_, i) => makeBenchPackage({ name: `radd-${i}` }));
  repoAdd.push(await timeRepoAdd(snap, packages, budget));
}

// Report.
const p = (xs: number[], q: number) => round(percentile(xs, q));
const [small, large] = [results[0]!, results[1]!];
const ratioInProcess = percentile(large.inProcessMs, 50) / percentile(small.inProcessMs, 50);
const ratioHttp = percentile(large.httpMs, 50) / percentile(small.httpMs, 50);
printTable(`Publish one small package into ${REPO}/${ARCH} (ms; ${SAMPLES} samples each)`, [
  ["packages already in", "in-process p50", "p95", "HTTP p50", "p95", ".db assembly p50"],
  ...results.map((r) => [
    r.size,
    p(r.inProcessMs, 50),
    p(r.inProcessMs, 95),
    p(r.httpMs, 50),
    p(r.httpMs, 95),
    p(r.assembleMs, 50),
  ]),
]);
printTable("repo-add (pacman 6.0.2) adding one package, same run (ms per add)", [
  ["entries in db", "adds", "p50", "min", "max", "vs our in-process p50", "note"],
  ...repoAdd.map((r) => {
    const ours = results.find((x) => x.size === r.entries);
    const ratio = ours ? `${round(percentile(r.samplesMs, 50) / percentile(ours.inProcessMs, 50), 0)}×` : "";
    return [
      r.entries,
      r.samplesMs.length,
      p(r.samplesMs, 50),
      round(Math.min(...r.samplesMs)),
      round(Math.max(...r.samplesMs)),
      ratio,
      r.skipped ?? "",
    ];
  }),
]);
const fillRate = filled / (fillMs / 1000);
const largeP50 = percentile(large.inProcessMs, 50);
printTable("Targets", [
  ["figure", "measured", "target", ""],
  [
    `in-process p50 ${large.size} / ${small.size}`,
    `${round(ratioInProcess)}×`,
    "≤ 1.5×",
    verdict(ratioInProcess <= 1.5),
  ],
  [`HTTP p50 ${large.size} / ${small.size}`, `${round(ratioHttp)}×`, "≤ 1.5×", verdict(ratioHttp <= 1.5)],
  [`in-process p50 at ${large.size}`, `${round(largeP50)} ms`, "≤ 10 ms", verdict(largeP50 <= 10)],
  ["fill (in-process, 4 in flight)", `${filled} in ${round(fillMs / 1000, 1)} s = ${round(fillRate, 0)}/s`, "", ""],
]);
printJson("repo-publish", {
  samples: SAMPLES,
  publish: results.map((r) => ({
    packages: r.size,
    inProcessP50Ms: p(r.inProcessMs, 50),
    inProcessP95Ms: p(r.inProcessMs, 95),
    httpP50Ms: p(r.httpMs, 50),
    httpP95Ms: p(r.httpMs, 95),
    dbAssemblyP50Ms: p(r.assembleMs, 50),
  })),
  ratioInProcessP50: round(ratioInProcess),
  ratioHttpP50: round(ratioHttp),
  repoAdd: repoAdd.map((r) => ({
    entries: r.entries,
    adds: r.samplesMs.length,
    p50Ms: p(r.samplesMs, 50),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  })),
  fill: { packages: filled, seconds: round(fillMs / 1000), perSecond: round(fillRate, 1) },
});
