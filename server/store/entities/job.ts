import { type InferEntity, defineEntity, p } from "@mikro-orm/core";

/**
 * One build job, from queued to its final state. `targetId` is a plain
 * column, not a foreign key: a job's history outlives its target.
 *
 * Two nullable unique columns let the database itself keep the queue's
 * invariants, on SQLite and PostgreSQL alike (NULLs never collide):
 * `pendingPair` ("<target>:<arch>") is set only on a queued scheduled job, so
 * each target×arch has at most one (the next run, queued ahead with its due
 * time); `activePair` is set only while a job is
 * dispatched or running, so no target×arch is ever built twice at once.
 */
export const JobEntity = defineEntity({
  name: "Job",
  tableName: "job",
  properties: {
    id: p.integer().primary().autoincrement(),
    targetId: p.integer(),
    arch: p.text(),
    force: p.boolean().default(false),
    reason: p.text(),
    state: p.text(),
    agent: p.text().default(""),
    attempt: p.integer().default(1),
    retryOfId: p.integer().nullable(),
    createdAt: p.datetime(),
    dueAt: p.datetime(),
    // The job's place in its arch's line: the due time, pushed back to the
    // latest dispatch of the same target×arch (see jobs/claim.ts).
    fairAt: p.datetime(),
    dispatchedAt: p.datetime().nullable(),
    startedAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    leaseExpiresAt: p.datetime().nullable().index(),
    cancelRequestedAt: p.datetime().nullable(),
    cancelReason: p.text().default(""),
    causeStep: p.text().default(""),
    causeExitCode: p.integer().nullable(),
    causeMessage: p.text().default(""),
    // JSON array of strings; text keeps the column portable.
    causeLastLines: p.text().default("[]"),
    // Whether the failure may pass by itself (see jobs/auto-retry.ts).
    causeTransient: p.boolean().default(false),
    // Scheduled jobs only: the expression and zone that set `dueAt`, so a
    // changed `global_schedule` or `time_zone` is noticed at start.
    schedule: p.text().default(""),
    timeZone: p.text().default(""),
    // Set when a scheduled job stops being pending (claimed, or cancelled by a
    // user): the next scheduling pass queues the run after it.
    needsSuccessor: p.boolean().default(false).index(),
    pendingPair: p.text().nullable().unique(),
    activePair: p.text().nullable().unique(),
  },
  indexes: [{ properties: ["targetId", "arch", "state"] }, { properties: ["arch", "state", "fairAt"] }],
});

export type JobRow = InferEntity<typeof JobEntity>;
