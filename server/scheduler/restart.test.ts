/**
 * Restarts: the store is closed and reopened on the same file, as a server
 * restart would. Queued jobs and history survive, every target×arch has its
 * next run again, and runs missed while down collapse into one each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type JobsEnv,
  cancelJob,
  claimNextJob,
  createJobEvents,
  enqueueManualJobs,
  finishJob,
  insertJob,
  listJobs,
  startJob,
} from "../jobs/index.js";
import { JobEntity } from "../store/entities/job.js";
import { TargetEntity } from "../store/entities/target.js";
import { openStore } from "../store/orm.js";
import { type Target, createTarget } from "../targets/index.js";
import { manualClock } from "../testing/app-context.js";
import { createScheduler } from "./scheduler.js";
import type { ScheduleSettings } from "./settings.js";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "vieter-restart-"));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const clock = manualClock(new Date("2026-01-01T00:00:00Z"));
const UTC_0_3: ScheduleSettings = { globalSchedule: "0 3", timeZone: "UTC" };

/** Opens the store and starts the scheduler, as `listen()` does. */
async function boot(settings = UTC_0_3) {
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  const events = createJobEvents();
  const logger = pino({ level: "silent" });
  const scheduler = createScheduler({ store, clock, events, settings, logger, intervalSeconds: 3600 });
  const started = await scheduler.start();
  const env = (): JobsEnv => ({ em: store.em.fork(), clock, events });
  const add = (arches: string[], schedule = ""): Promise<Target> => {
    const input = { kind: "git", url: "https://example.com/x.git", branch: "", path: "", repo: "main" };
    const rest = { arches, schedule, buildTimeoutSeconds: 0, baseImage: "" };
    return createTarget(
      store.em.fork(),
      { ...input, ...rest },
      { defaultArch: "x86_64", ...settings },
      clock.now(),
      events,
    );
  };
  const jobs = async () => (await listJobs(env().em, { limit: 1000 })).jobs.reverse();
  const pending = async () =>
    (await jobs())
      .filter((j) => j.reason === "scheduled" && j.state === "queued")
      .map((j) => `${j.targetId}/${j.arch} ${j.dueAt.toISOString()}`);
  const stop = async () => {
    await scheduler.stop();
    await store.close();
  };
  return { store, env, add, jobs, pending, started, stop };
}

describe("restart", () => {
  it("keeps queued jobs and history, every pair keeps one next run, missed runs collapse", async () => {
    clock.set(new Date("2026-01-01T00:00:00Z"));
    const first = await boot();
    const t1 = await first.add(["x86_64", "aarch64"]);
    const t2 = await first.add(["x86_64"], "0 12");
    const t3 = await first.add(["x86_64"]);
    // History: a failed build of t2.
    const [failed] = await enqueueManualJobs(first.env(), t2.id, "x86_64", false);
    await claimNextJob(first.env(), { arch: "x86_64", agent: "a", leaseSeconds: 30 * 86400 });
    await startJob(first.env(), failed!.id, "a");
    await finishJob(first.env(), failed!.id, "a", "failed", { step: "build", message: "boom", lastLines: ["x"] });
    // A manual job still queued; t1/aarch64's 03:00 run taken just before the server stops
    // (the claim queues the run after it).
    await enqueueManualJobs(first.env(), t3.id, undefined, true);
    clock.set(new Date("2026-01-01T03:00:05Z"));
    await claimNextJob(first.env(), { arch: "aarch64", agent: "a", leaseSeconds: 30 * 86400 });
    const before = await first.jobs();
    await first.stop();

    clock.set(new Date("2026-01-05T10:00:00Z"));
    const second = await boot();
    const after = await second.jobs();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(before.map((j) => `${j.targetId}/${j.arch} ${j.reason} ${j.state}`)).toEqual([
      `${t1.id}/x86_64 scheduled queued`,
      `${t1.id}/aarch64 scheduled dispatched`,
      `${t2.id}/x86_64 scheduled queued`,
      `${t3.id}/x86_64 scheduled queued`,
      `${t2.id}/x86_64 manual failed`,
      `${t3.id}/x86_64 manual queued`,
      `${t1.id}/aarch64 scheduled queued`,
    ]);
    expect(before[4]!.cause).toEqual({ step: "build", message: "boom", lastLines: ["x"] });
    // Every pair has exactly one next run; the missed ones are due now, once.
    expect((await second.pending()).sort()).toEqual(
      [
        `${t1.id}/x86_64 2026-01-01T03:00:00.000Z`,
        `${t1.id}/aarch64 2026-01-02T03:00:00.000Z`,
        `${t2.id}/x86_64 2026-01-01T12:00:00.000Z`,
        `${t3.id}/x86_64 2026-01-01T03:00:00.000Z`,
      ].sort(),
    );
    expect(second.started.firstPass).toEqual({ queued: [], taken: 0 });
    expect(second.started.reconciled).toMatchObject({ created: 0, updated: 0, cancelled: [], unschedulable: 0 });
    await second.stop();
  });

  it("queues in the first pass the run after one a user cancelled just before the stop", async () => {
    clock.set(new Date("2026-01-01T00:00:00Z"));
    const first = await boot();
    const target = await first.add(["x86_64"], "0 12");
    const [pending] = (await first.jobs()).filter((j) => j.state === "queued");
    await cancelJob(first.env(), pending!.id);
    await first.stop();

    clock.set(new Date("2026-01-03T10:00:00Z"));
    const second = await boot();
    // Not a pair without a next run for reconciling: the pass queues it, from the skipped run.
    expect(second.started.reconciled.created).toBe(0);
    expect(second.started.firstPass.taken).toBe(1);
    // Jan 1 12:00 was skipped; Jan 2 12:00 passed while the server was down: due now, once.
    expect(await second.pending()).toEqual([`${target.id}/x86_64 2026-01-02T12:00:00.000Z`]);
    await second.stop();
  });

  it("moves next runs to changed settings and repairs missing, stale or broken ones without refusing to start", async () => {
    clock.set(new Date("2026-01-01T00:00:00Z"));
    const first = await boot();
    const global = await first.add(["x86_64"]);
    const own = await first.add(["x86_64"], "15 6");
    const missing = await first.add(["x86_64"]);
    const broken = await first.add(["x86_64"], "0 1");
    const em = first.store.em.fork();
    await em.nativeDelete(JobEntity, { targetId: missing.id });
    // A schedule that no longer parses (written behind the API's back).
    await em.nativeUpdate(TargetEntity, { id: broken.id }, { schedule: "61 1" });
    // A next run of an arch the target does not have.
    const due = new Date("2026-01-01T03:00:00Z");
    const stale = { targetId: global.id, arch: "riscv64", force: false, reason: "scheduled" as const, dueAt: due };
    await insertJob(em, stale, clock.now());
    await first.stop();

    clock.set(new Date("2026-01-01T01:00:00Z"));
    const second = await boot({ globalSchedule: "30 4", timeZone: "Europe/Berlin" });
    const { created, updated, cancelled, unschedulable } = second.started.reconciled;
    expect([created, updated, unschedulable]).toEqual([1, 2, 1]);
    expect(cancelled.map((j) => [j.arch, j.cause?.message])).toEqual([
      ["riscv64", "its target no longer builds this arch"],
    ]);
    expect((await second.pending()).sort()).toEqual(
      [
        `${global.id}/x86_64 2026-01-01T03:30:00.000Z`,
        `${own.id}/x86_64 2026-01-01T05:15:00.000Z`,
        `${missing.id}/x86_64 2026-01-01T03:30:00.000Z`,
        // Its time passed while the server was down: it stays due and runs once.
        `${broken.id}/x86_64 2026-01-01T01:00:00.000Z`,
      ].sort(),
    );
    await second.stop();
  });
});
