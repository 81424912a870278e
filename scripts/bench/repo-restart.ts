/**
 * Issue 3, the first `.db` GET after a restart: a 10,000-package arch-repo,
 * the server (its own process, `node bin/vieter.js server`) started over the
 * filled data folder, then `GET <repo>.db` and `<repo>.files` at once. Three
 * starts: with the members stored at publish; with every row's members
 * cleared (rows as written before migration 0006, so the first load renders
 * and stores them: paid once); and once more after that.
 *
 *   node scripts/build.mjs && npx tsx scripts/bench/repo-restart.ts [--quick]
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../server/store/orm.js";
import { prefill, startChildServer } from "./lib/child-server.js";
import { fillInProcess } from "./lib/in-process.js";
import { makeBenchPackages } from "./lib/packages.js";
import { QUICK, msSince, note, printJson, printTable, round, verdict } from "./lib/report.js";

const REPO = "restart";
const ARCH = "x86_64";
const PACKAGES = QUICK ? 2_000 : 10_000;
/** pacman gives up on a server that sends nothing for about this long. */
const PACMAN_PATIENCE_MS = 10_000;

interface Start {
  readonly name: string;
  /** Spawn until /health answers (polled every 100 ms; includes whatever blocks the loop then, e.g. warming). */
  readonly listenMs: number;
  /** The first `.db` GET, sent right after /health answered. */
  readonly firstDbMs: number;
  /** The first `.files` GET, after it. */
  readonly firstFilesMs: number;
  readonly dbSha256: string;
  readonly filesSha256: string;
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function timedGet(url: string): Promise<{ ms: number; body: Buffer }> {
  const start = process.hrtime.bigint();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return { ms: msSince(start), body };
}

async function startAndGet(name: string, dataDir: string): Promise<Start> {
  note(`${name}: starting the server`);
  const spawned = process.hrtime.bigint();
  const server = await startChildServer(dataDir);
  const listenMs = msSince(spawned);
  try {
    const db = await timedGet(`${server.baseUrl}/${REPO}/${ARCH}/${REPO}.db`);
    const files = await timedGet(`${server.baseUrl}/${REPO}/${ARCH}/${REPO}.files`);
    return {
      name,
      listenMs,
      firstDbMs: db.ms,
      firstFilesMs: files.ms,
      dbSha256: sha256(db.body),
      filesSha256: sha256(files.body),
    };
  } finally {
    await server.stop();
  }
}

/** Clears every row's stored members, as rows written before the member columns have them. */
async function clearMembers(dataDir: string): Promise<number> {
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  try {
    return await store.em.getKnex()("repo_package").update({ db_member: null, files_member: null });
  } finally {
    await store.close();
  }
}

const work = await mkdtemp(join(tmpdir(), "vieter-bench-restart-"));
const dataDir = join(work, "data");
try {
  note(`filling ${REPO}/${ARCH} with ${PACKAGES} packages`);
  let fillMs = 0;
  await prefill(dataDir, async (repository) => {
    fillMs = await fillInProcess(repository, REPO, makeBenchPackages("restart", PACKAGES, ARCH));
  });
  const starts: Start[] = [];
  starts.push(await startAndGet("members stored at publish", dataDir));
  const cleared = await clearMembers(dataDir);
  note(`cleared the members of ${cleared} rows`);
  starts.push(await startAndGet("members missing (pre-0006 rows): rendered and stored", dataDir));
  starts.push(await startAndGet("after that start", dataDir));

  const sameBytes = starts.every((s) => s.dbSha256 === starts[0]!.dbSha256 && s.filesSha256 === starts[0]!.filesSha256);
  printTable(`First GETs after a restart, ${PACKAGES} packages in ${REPO}/${ARCH} (ms)`, [
    ["start", "spawn → /health answers", "first .db GET", "spawn → .db served", "then .files GET"],
    ...starts.map((s) => [
      s.name,
      round(s.listenMs),
      round(s.firstDbMs),
      round(s.listenMs + s.firstDbMs),
      round(s.firstFilesMs),
    ]),
  ]);
  const stored = starts[0]!;
  printTable("Targets", [
    ["figure", "measured", "target", ""],
    [
      `first .db GET after restart at ${PACKAGES}`,
      `${round(stored.firstDbMs)} ms`,
      `< ${PACMAN_PATIENCE_MS / 1000} s (pacman's patience)`,
      verdict(stored.firstDbMs < PACMAN_PATIENCE_MS),
    ],
    ["same .db and .files bytes on every start", String(sameBytes), "true", verdict(sameBytes)],
  ]);
  printJson("repo-restart", {
    packages: PACKAGES,
    fill: { seconds: round(fillMs / 1000), perSecond: round(PACKAGES / (fillMs / 1000), 1) },
    starts: starts.map((s) => ({
      start: s.name,
      listenMs: round(s.listenMs),
      firstDbGetMs: round(s.firstDbMs),
      firstFilesGetMs: round(s.firstFilesMs),
    })),
    sameBytes,
  });
} finally {
  await rm(work, { recursive: true, force: true });
}
