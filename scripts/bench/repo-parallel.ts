/**
 * Issue 3, "Speed": 16 parallel HTTP publishers of small packages into a few
 * arch-repos of a server running in its own process — packages per second,
 * and a check with bsdtar that every acknowledged package is listed in the
 * served `.db` archives (none lost, none extra).
 *
 *   npx tsx scripts/bench/repo-parallel.ts [--quick]
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BENCH_API_KEY, cpuMs, startChildServer } from "./lib/child-server.js";
import { type BenchPackage, makeBenchPackages } from "./lib/packages.js";
import { closeClients, post } from "./lib/post.js";
import { QUICK, msSince, note, percentile, printJson, printTable, round, verdict } from "./lib/report.js";

const run = promisify(execFile);
const PUBLISHERS = 16;
const TOTAL = QUICK ? 400 : 2_000;
const ARCH_REPOS = [
  ["par-a", "x86_64"],
  ["par-a", "aarch64"],
  ["par-b", "x86_64"],
  ["par-b", "aarch64"],
] as const;
const TARGET_PER_SECOND = 300;

interface Job {
  readonly repo: string;
  readonly pkg: BenchPackage;
}

const jobs: Job[] = [];
const perArchRepo = Math.ceil(TOTAL / ARCH_REPOS.length);
for (const [i, [repo, arch]] of ARCH_REPOS.entries()) {
  for (const pkg of makeBenchPackages(`par${i}`, perArchRepo, arch)) jobs.push({ repo, pkg });
}
// Interleave the arch-repos, as independent builds finishing at random would.
jobs.sort((a, b) => Number(a.pkg.name.split("-")[1]) - Number(b.pkg.name.split("-")[1]));

const dataDir = await mkdtemp(join(tmpdir(), "vieter-bench-parallel-"));
const server = await startChildServer(dataDir);
try {
  note(`publishing ${jobs.length} packages into ${ARCH_REPOS.length} arch-repos with ${PUBLISHERS} publishers`);
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const publisher = async () => {
    while (next < jobs.length) {
      const { repo, pkg } = jobs[next++]!;
      const start = process.hrtime.bigint();
      const { status, text } = await post(`${server.baseUrl}/${repo}/publish`, pkg.data, BENCH_API_KEY);
      latencies.push(msSince(start));
      if (status !== 200) failures.push(`${pkg.filename}: ${status} ${text}`);
    }
  };
  const cpuBefore = cpuMs(server.pid);
  const benchCpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: PUBLISHERS }, publisher));
  const wallMs = msSince(start);
  const serverCpu = cpuMs(server.pid) - cpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);

  note("checking the served .db archives with bsdtar");
  const listed = new Set<string>();
  for (const [repo, arch] of ARCH_REPOS) {
    const res = await fetch(`${server.baseUrl}/${repo}/${arch}/${repo}.db`);
    const file = join(dataDir, `check-${repo}-${arch}.db`);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await run("bsdtar", ["-tf", file], { maxBuffer: 1 << 26 });
    for (const line of stdout.split("\n")) {
      if (line.endsWith("/desc")) listed.add(`${repo}/${arch}/${line.slice(0, -"/desc".length)}`);
    }
  }
  const expected = new Set(jobs.map(({ repo, pkg }) => `${repo}/${pkg.arch}/${pkg.name}-${pkg.version}`));
  const lost = [...expected].filter((k) => !listed.has(k));
  const extra = [...listed].filter((k) => !expected.has(k));

  const perSecond = jobs.length / (wallMs / 1000);
  const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
  printTable(`${PUBLISHERS} parallel HTTP publishers, ${ARCH_REPOS.length} arch-repos, server in its own process`, [
    ["figure", "measured"],
    ["packages published", jobs.length],
    ["wall time", `${round(wallMs / 1000)} s`],
    ["packages/s", round(perSecond, 1)],
    ["publish latency p50 / p95", `${round(percentile(latencies, 50))} / ${round(percentile(latencies, 95))} ms`],
    ["server CPU per publish", `${round(serverCpu / jobs.length)} ms`],
    ["server CPU utilisation", `${round(serverCpu / wallMs, 2)} cores`],
    ["client (bench) CPU per publish", `${round(benchCpuMs / jobs.length)} ms`],
    ["non-200 answers", failures.length],
    ["listed in the .db archives", listed.size],
    ["lost / extra", `${lost.length} / ${extra.length}`],
  ]);
  printTable("Targets", [
    ["figure", "measured", "target", ""],
    ["packages/s", round(perSecond, 1), `≥ ${TARGET_PER_SECOND}`, verdict(perSecond >= TARGET_PER_SECOND)],
    ["none lost", `${lost.length} lost`, "0", verdict(lost.length === 0 && failures.length === 0)],
  ]);
  for (const f of failures.slice(0, 5)) note(`failed: ${f}`);
  for (const l of lost.slice(0, 5)) note(`lost: ${l}`);
  printJson("repo-parallel", {
    publishers: PUBLISHERS,
    archRepos: ARCH_REPOS.length,
    packages: jobs.length,
    wallSeconds: round(wallMs / 1000),
    packagesPerSecond: round(perSecond, 1),
    latencyP50Ms: round(percentile(latencies, 50)),
    latencyP95Ms: round(percentile(latencies, 95)),
    serverCpuMsPerPublish: round(serverCpu / jobs.length),
    clientCpuMsPerPublish: round(benchCpuMs / jobs.length),
    failures: failures.length,
    listed: listed.size,
    lost: lost.length,
    extra: extra.length,
  });
} finally {
  closeClients();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
