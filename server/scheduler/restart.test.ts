/**
 * Restarts: the store is closed and reopened on the same file, as a server
 * restart would. Queued jobs and history survive, every target×arch is
 * rescheduled, and runs missed while down collapse into one each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type JobsEnv,
  claimNextJob,
  createJobEvents,
  enqueueManualJobs,
  finishJob,
  listJobs,
  startJob,
} from "../jobs/index.js";
import { ScheduleSlotEntity } from "../store/entities/schedule-slot.js";
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
  const add = (arches: string[], schedule = ""): Promise<Target> =>
    createTarget(
      store.em.fork(),
      {
        kind: "git",
        url: "https://example.com/x.git",
        branch: "",
        path: "",
        repo: "main",
        arches,
        schedule,
        buildTimeoutSeconds: 0,
        baseImage: "",
      },
      { defaultArch: "x86_64", ...settings },
      clock.now(),
    );
  const jobs = async () => (await listJobs(env().em, { limit: 1000 })).jobs.reverse();
  const slots = async () =>
    (await store.em.fork().find(ScheduleSlotEntity, {}, { orderBy: { id: "asc" } })).map(
      (s) => `${s.target.id}/${s.arch} ${s.nextRunAt?.toISOString() ?? "never"} ${s.schedule}@${s.timeZone}`,
    );
  const stop = async () => {
    await scheduler.stop();
    await store.close();
  };
  return { store, env, add, jobs, slots, started, stop, scheduler };
}

describe("restart", () => {
  it("keeps queued jobs and history, reschedules every target, collapses missed runs", async () => {
    clock.set(new Date("2026-01-01T00:00:00Z"));
    const first = await boot();
    const t1 = await first.add(["x86_64", "aarch64"]);
    const t2 = await first.add(["x86_64"], "0 12");
    const t3 = await first.add(["x86_64"]);
    // History: a failed build of t2.
    const [failed] = await enqueueManualJobs(first.env(), t2.id, "x86_64", false);
    await claimNextJob(first.env(), { arch: "x86_64", agent: "a", leaseSeconds: 3600 });
    await startJob(first.env(), failed!.id, "a");
    await finishJob(first.env(), failed!.id, "a", "failed", { step: "build", message: "boom", lastLines: ["x"] });
    // A manual job still queued, and one dispatched when the server stops.
    await enqueueManualJobs(first.env(), t3.id, undefined, true);
    await enqueueManualJobs(first.env(), t1.id, "x86_64", false);
    await claimNextJob(first.env(), { arch: "x86_64", agent: "a", leaseSeconds: 30 * 86400 });
    clock.set(new Date("2026-01-01T03:00:05Z"));
    await first.scheduler.runPass();
    const before = await first.jobs();
    await first.stop();

    clock.set(new Date("2026-01-05T10:00:00Z"));
    const second = await boot();
    const after = await second.jobs();
    // Nothing that existed was lost or changed.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(before.map((j) => `${j.targetId}/${j.arch} ${j.reason} ${j.state}`)).toEqual([
      `${t2.id}/x86_64 manual failed`,
      `${t3.id}/x86_64 manual dispatched`,
      `${t1.id}/x86_64 manual queued`,
      `${t1.id}/x86_64 scheduled queued`,
      `${t1.id}/aarch64 scheduled queued`,
      `${t3.id}/x86_64 scheduled queued`,
    ]);
    expect(before[0]!.cause).toEqual({ step: "build", message: "boom", lastLines: ["x"] });
    // Missed runs: one new job for each pair without a pending scheduled job,
    // none for pairs whose scheduled job was still queued.
    const created = after
      .slice(before.length)
      .map((j) => `${j.targetId}/${j.arch} ${j.reason} ${j.dueAt.toISOString()}`);
    expect(created).toEqual([`${t2.id}/x86_64 scheduled 2026-01-01T12:00:00.000Z`]);
    expect(second.started.firstPass.dueSlots).toBe(4);
    // Every target×arch is scheduled again, from now.
    expect(await second.slots()).toEqual([
      `${t1.id}/x86_64 2026-01-06T03:00:00.000Z 0 3@UTC`,
      `${t1.id}/aarch64 2026-01-06T03:00:00.000Z 0 3@UTC`,
      `${t2.id}/x86_64 2026-01-05T12:00:00.000Z 0 12@UTC`,
      `${t3.id}/x86_64 2026-01-06T03:00:00.000Z 0 3@UTC`,
    ]);
    expect(second.started.reconciled).toEqual({ created: 0, updated: 0, removed: 0 });
    await second.stop();
  });

  it("reschedules after a settings change and repairs missing or broken slots without refusing to start", async () => {
    clock.set(new Date("2026-01-01T00:00:00Z"));
    const first = await boot();
    const global = await first.add(["x86_64"]);
    const own = await first.add(["x86_64"], "15 6");
    const orphanless = await first.add(["x86_64"]);
    const broken = await first.add(["x86_64"], "0 1");
    const em = first.store.em.fork();
    await em.nativeDelete(ScheduleSlotEntity, { target: orphanless.id });
    // A schedule that no longer parses (written behind the API's back).
    await em.nativeUpdate(TargetEntity, { id: broken.id }, { schedule: "61 1" });
    await first.stop();

    clock.set(new Date("2026-01-01T01:00:00Z"));
    const second = await boot({ globalSchedule: "30 4", timeZone: "Europe/Berlin" });
    expect(second.started.reconciled).toEqual({ created: 1, updated: 3, removed: 0 });
    expect(await second.slots()).toEqual([
      `${global.id}/x86_64 2026-01-01T03:30:00.000Z 30 4@Europe/Berlin`,
      `${own.id}/x86_64 2026-01-01T05:15:00.000Z 15 6@Europe/Berlin`,
      `${broken.id}/x86_64 never 61 1@Europe/Berlin`,
      `${orphanless.id}/x86_64 2026-01-01T03:30:00.000Z 30 4@Europe/Berlin`,
    ]);
    await second.stop();
  });
});
