/**
 * Issue 3, "Speed": `GET <repo>.db` of a 10,000-package arch-repo and a
 * 40 MB package download from our server (its own process), against nginx
 * (Debian package, one worker) serving the same bytes in the same run:
 * requests per second and CPU milliseconds per request of each, and the
 * ratios. "vieter" runs with `sendfile = true` (the default: package files
 * through the native addon, the `.db` from memory in one write); a second
 * server process over the same data with `sendfile = false` ("vieter-streams",
 * Node's own write path for both) shows in the same run what the addon changes.
 *
 *   npx tsx scripts/bench/repo-serve.ts [--quick]
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuMs, prefill, startChildServer } from "./lib/child-server.js";
import { fillInProcess, publishInProcess } from "./lib/in-process.js";
import { chooseLoadTool, runLoad } from "./lib/load.js";
import { ensureNginx, startNginx } from "./lib/nginx.js";
import { makeBenchPackages, makeLargePackage } from "./lib/packages.js";
import { QUICK, msSince, note, printJson, printTable, round, verdict } from "./lib/report.js";

const REPO = "serve";
const ARCH = "x86_64";
const PACKAGES = QUICK ? 2_000 : 10_000;
const LARGE_BYTES = QUICK ? 10 * 1024 * 1024 : 40 * 1024 * 1024;
const SECONDS = QUICK ? 3 : 8;
/**
 * Each server is measured in rounds, ABBA order, to cancel drift. Four in a full run: with two,
 * nginx's own CPU per 40 MiB request ranged 3.7–8.1 ms across quiet runs (loopback's receive
 * work is charged to whichever process the CPU happens to run).
 */
const ROUNDS = QUICK ? 2 : 4;

interface Case {
  readonly name: string;
  readonly path: string;
  readonly connections: number;
  readonly targetRps: number;
}

const WHO = ["nginx", "vieter", "vieter-streams"] as const;
type Results = Record<(typeof WHO)[number], Measured>;

interface Measured {
  requests: number;
  seconds: number;
  cpuMs: number;
  errors: number;
}

ensureNginx();
const work = await mkdtemp(join(tmpdir(), "vieter-bench-serve-"));
const dataDir = join(work, "data");
const large = makeLargePackage("serve-large", LARGE_BYTES);
let fillMs = 0;
note(`filling ${REPO}/${ARCH} with ${PACKAGES} packages and one of ${round(large.data.length / 2 ** 20, 1)} MiB`);
await prefill(dataDir, async (repository) => {
  fillMs = await fillInProcess(repository, REPO, makeBenchPackages("serve", PACKAGES, ARCH));
  await publishInProcess(repository, REPO, large);
});

const tool = chooseLoadTool();
const server = await startChildServer(dataDir, { VIETER_SENDFILE: "true" });
const streams = await startChildServer(dataDir, { VIETER_SENDFILE: "false" });
const nginxDir = join(work, "nginx");
const root = join(nginxDir, "root");
try {
  const cases: Case[] = [
    { name: `.db (${PACKAGES} packages)`, path: `/${REPO}/${ARCH}/${REPO}.db`, connections: 8, targetRps: 0.8 },
    {
      name: `package (${round(large.data.length / 2 ** 20)} MiB)`,
      path: `/${REPO}/${ARCH}/${large.filename}`,
      connections: 4,
      targetRps: 0.9,
    },
  ];
  // The first GET of the .db loads the arch-repo view (every row) and assembles the archive.
  const firstStart = process.hrtime.bigint();
  const db = Buffer.from(await (await fetch(`${server.baseUrl}${cases[0]!.path}`)).arrayBuffer());
  const firstGetMs = msSince(firstStart);
  await mkdir(join(root, REPO, ARCH), { recursive: true });
  await writeFile(join(root, cases[0]!.path), db);
  await writeFile(join(root, cases[1]!.path), large.data);
  const nginx = await startNginx(nginxDir, root);
  try {
    for (const c of cases) {
      await checkSameBytes(c.path, server.baseUrl, nginx.baseUrl);
      await checkSameBytes(c.path, streams.baseUrl, nginx.baseUrl);
    }
    const servers = {
      vieter: { pid: server.pid, baseUrl: server.baseUrl },
      "vieter-streams": { pid: streams.pid, baseUrl: streams.baseUrl },
      nginx,
    };
    const results = new Map<string, Results>();
    for (const c of cases) {
      const sum: Results = { vieter: empty(), "vieter-streams": empty(), nginx: empty() };
      // Warm all (JIT, page cache) before measuring.
      for (const s of Object.values(servers)) await runLoad(tool, `${s.baseUrl}${c.path}`, c.connections, 1);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? WHO : [...WHO].reverse();
        for (const who of order) {
          note(`${c.name}: ${who}, round ${round + 1}/${ROUNDS}, ${SECONDS} s`);
          const { pid, baseUrl } = servers[who];
          const cpuBefore = cpuMs(pid);
          const r = await runLoad(tool, `${baseUrl}${c.path}`, c.connections, SECONDS);
          add(sum[who], { requests: r.requests, seconds: r.seconds, cpuMs: cpuMs(pid) - cpuBefore, errors: r.errors });
        }
      }
      results.set(c.name, sum);
    }
    report(cases, results, firstGetMs, db.length);
  } finally {
    await nginx.stop();
  }
} finally {
  await streams.stop();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}

function empty(): Measured {
  return { requests: 0, seconds: 0, cpuMs: 0, errors: 0 };
}

function add(into: Measured, m: Measured): void {
  into.requests += m.requests;
  into.seconds += m.seconds;
  into.cpuMs += m.cpuMs;
  into.errors += m.errors;
}

async function checkSameBytes(path: string, a: string, b: string): Promise<void> {
  const digest = async (base: string) => {
    const res = await fetch(`${base}${path}`);
    if (res.status !== 200) throw new Error(`${base}${path} answered ${res.status}`);
    return createHash("sha256")
      .update(Buffer.from(await res.arrayBuffer()))
      .digest("hex");
  };
  if ((await digest(a)) !== (await digest(b))) throw new Error(`${path}: our server and nginx serve different bytes`);
}

function report(cases: Case[], results: Map<string, Results>, firstGetMs: number, dbBytes: number): void {
  const rows: (string | number)[][] = [
    ["case", "server", "req/s", "CPU ms/req", "CPU cores", "errors", "rps ratio", "CPU ratio"],
  ];
  const targets: (string | number)[][] = [["figure", "measured", "target", ""]];
  const figures: Record<string, unknown>[] = [];
  for (const c of cases) {
    const { vieter, nginx, "vieter-streams": streamed } = results.get(c.name)!;
    const rps = (m: Measured) => m.requests / m.seconds;
    const cpu = (m: Measured) => m.cpuMs / m.requests;
    const rpsRatio = rps(vieter) / rps(nginx);
    const cpuRatio = cpu(vieter) / cpu(nginx);
    for (const who of WHO) {
      const m = results.get(c.name)![who];
      rows.push([
        who === "nginx" ? c.name : "",
        who,
        round(rps(m), 1),
        round(cpu(m), 3),
        round(m.cpuMs / 1000 / m.seconds, 2),
        m.errors,
        who === "nginx" ? "" : `${round(rps(m) / rps(nginx))}×`,
        who === "nginx" ? "" : `${round(cpu(m) / cpu(nginx))}×`,
      ]);
    }
    targets.push(
      [`${c.name}: rps vs nginx`, `${round(rpsRatio)}×`, `≥ ${c.targetRps}×`, verdict(rpsRatio >= c.targetRps)],
      [`${c.name}: CPU/req vs nginx`, `${round(cpuRatio)}×`, "≤ 1.5×", verdict(cpuRatio <= 1.5)],
    );
    figures.push({
      case: c.name,
      connections: c.connections,
      nginxRps: round(rps(nginx), 1),
      vieterRps: round(rps(vieter), 1),
      nginxCpuMsPerRequest: round(cpu(nginx), 4),
      vieterCpuMsPerRequest: round(cpu(vieter), 4),
      rpsRatio: round(rpsRatio, 3),
      cpuRatio: round(cpuRatio, 3),
      streamsRps: round(rps(streamed), 1),
      streamsCpuMsPerRequest: round(cpu(streamed), 4),
      errors: vieter.errors + nginx.errors + streamed.errors,
    });
  }
  printTable(`Serving the same bytes, ${ROUNDS}×${SECONDS} s per server and case (${tool})`, rows);
  printTable("Targets", targets);
  note(`fill: ${PACKAGES} packages in ${round(fillMs / 1000, 1)} s; .db is ${dbBytes} bytes`);
  printJson("repo-serve", {
    loadTool: tool,
    packages: PACKAGES,
    dbBytes,
    largeBytes: large.data.length,
    secondsPerRun: SECONDS,
    rounds: ROUNDS,
    fillSeconds: round(fillMs / 1000),
    firstDbGetMs: round(firstGetMs),
    cases: figures,
  });
}
