import { type InferEntity, defineEntity, p } from "@mikro-orm/core";

/**
 * The metadata of one job's build log; the content is a file under
 * `<data_dir>/logs/` (see server/logs/README.md). `jobId` is unique: one log
 * per job. Like `job.targetId`, `jobId` and `targetId` are plain columns, not
 * foreign keys, so a log outlives its target.
 */
export const BuildLogEntity = defineEntity({
  name: "BuildLog",
  tableName: "build_log",
  // Listing filters by target and orders by start; retention scans by start.
  indexes: [{ properties: ["startedAt"] }, { properties: ["targetId", "startedAt"] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    jobId: p.integer().unique(),
    targetId: p.integer(),
    arch: p.text(),
    agent: p.text().default(""),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    exitCode: p.integer().nullable(),
    /** The job's final state, or "running" while the log is open. */
    result: p.text(),
    causeStep: p.text().default(""),
    causeMessage: p.text().default(""),
    // JSON array of strings, as in the job table.
    causeLastLines: p.text().default("[]"),
    /** Bytes of (uncompressed) content; final once the log is closed. */
    size: p.bigint("number").default(0),
    /** Whether the content is stored gzip-compressed (`<job>.log.gz`). */
    compressed: p.boolean().default(false),
    /** Written by the server because no build output arrived (timeout, lost agent, infrastructure). */
    synthetic: p.boolean().default(false),
  },
});

export type BuildLogRow = InferEntity<typeof BuildLogEntity>;
