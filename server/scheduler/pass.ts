/**
 * One scheduling pass: every slot whose time has come yields a scheduled job
 * (unless its target×arch still has one queued: missed periods collapse into
 * that one run) and moves on to its next occurrence after now; then expired
 * leases are declared lost. A pass costs one indexed range query when
 * nothing is due.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { type Job, type JobsEnv, expireLeases, insertScheduledJobs } from "../jobs/index.js";
import { ScheduleSlotEntity } from "../store/entities/schedule-slot.js";
import { nextRun } from "./settings.js";

/** What a pass did. */
export interface PassResult {
  /** Scheduled jobs created. */
  readonly queued: readonly Job[];
  /** Slots that came due (more than `queued` when runs collapsed). */
  readonly dueSlots: number;
  /** Jobs whose lease had expired. */
  readonly lost: readonly Job[];
}

interface DueSlot {
  id: number;
  target: number;
  arch: string;
  schedule: string;
  timeZone: string;
  nextRunAt: Date;
}

const ID_CHUNK = 500;

/** Runs one pass at the env clock's current time. */
export async function runSchedulingPass(env: JobsEnv): Promise<PassResult> {
  const now = env.clock.now();
  const { queued, dueSlots } = await env.em.transactional(async (em) => {
    const due = await em
      .createQueryBuilder(ScheduleSlotEntity, "s")
      .select(["s.id", "s.target", "s.arch", "s.schedule", "s.timeZone", "s.nextRunAt"])
      .where({ nextRunAt: { $lte: now } })
      .execute<DueSlot[]>("all");
    if (due.length === 0) return { queued: [], dueSlots: 0 };
    const runs = due.map((s) => ({ targetId: s.target, arch: s.arch, dueAt: s.nextRunAt }));
    const created = await insertScheduledJobs(em, runs, now);
    await advanceSlots(em, due, now);
    return { queued: created, dueSlots: due.length };
  });
  env.events.publish(queued);
  const lost = await expireLeases(env);
  return { queued, dueSlots, lost };
}

// Slots sharing a schedule and zone share their next run, so one UPDATE per
// distinct schedule (chunked by id) moves them all.
async function advanceSlots(em: EntityManager, due: readonly DueSlot[], now: Date): Promise<void> {
  const groups = new Map<string, { schedule: string; timeZone: string; ids: number[] }>();
  for (const s of due) {
    const key = `${s.timeZone}\n${s.schedule}`;
    const group = groups.get(key) ?? { schedule: s.schedule, timeZone: s.timeZone, ids: [] };
    group.ids.push(s.id);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    const nextRunAt = nextRun(g.schedule, g.timeZone, now) ?? null;
    for (let i = 0; i < g.ids.length; i += ID_CHUNK) {
      await em.nativeUpdate(ScheduleSlotEntity, { id: { $in: g.ids.slice(i, i + ID_CHUNK) } }, { nextRunAt });
    }
  }
}
