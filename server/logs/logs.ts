/**
 * The log store: build log metadata in the database, content in files under
 * `<data_dir>/logs/`, open logs in memory. One per server, shared by the
 * agent protocol (which writes) and LogService (which reads).
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { NotFoundError } from "../../lib/errors.js";
import type { Clock } from "../clock.js";
import type { FailureCause, Job, JobEvents } from "../jobs/index.js";
import { BuildLogEntity } from "../store/entities/build-log.js";
import type { Store } from "../store/orm.js";
import { createCompressor } from "./compress.js";
import { type ContentFile, openContentFile } from "./content.js";
import { followJobLog, followLog } from "./follow-job.js";
import { type LogFilter, listLogRows } from "./list.js";
import type { BuildLog, LogEnd, LogResult, LogStart } from "./log.js";
import { appendLog, closeLogUnlocked, openLogUnlocked } from "./open-close.js";
import { DEFAULT_LOGS_OPTIONS, type LogsOptions } from "./options.js";
import { logsDir } from "./paths.js";
import { type RemovalResult, deleteLog, removeLogsStartedBefore } from "./remove.js";
import { findLogRowOfJob, loadLogRow, toBuildLog } from "./rows.js";
import { type LogsState, pathsOf, withJobLock } from "./state.js";
import { finalizeJobLogUnlocked, writeSyntheticLogUnlocked } from "./synthetic.js";

/** What the log store needs. */
export interface LogsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobEvents: JobEvents;
  readonly dataDir: string;
  readonly options?: Partial<LogsOptions>;
}

/** The build logs. Errors are lib/errors.ts classes. */
export interface Logs {
  /** Starts (or, after a server restart, resumes) the log of a job whose build starts. */
  openLog(jobId: number, start: LogStart): Promise<BuildLog>;
  /** Appends build output; resolves at once unless the disk is behind (back-pressure). */
  appendLog(jobId: number, bytes: Uint8Array): Promise<void>;
  /** Ends the log with the job's outcome; followers end, the file is compressed later. */
  closeLog(jobId: number, end: LogEnd): Promise<BuildLog>;
  /** A log for a job whose output never arrived (or the end of one that was cut off). */
  writeSyntheticLog(jobId: number, text: string, result: LogResult, cause?: FailureCause): Promise<BuildLog>;
  /** Closes or writes the log of a job that ended (see synthetic.ts). */
  finalizeJobLog(job: Job): Promise<"closed" | "written" | "none">;
  getLog(id: number): Promise<BuildLog>;
  /** The log of a job, if it has one. */
  findLogOfJob(jobId: number): Promise<BuildLog | undefined>;
  listLogs(filter: LogFilter): Promise<{ logs: BuildLog[]; total: number }>;
  deleteLog(id: number): Promise<void>;
  removeLogsStartedBefore(cutoff: Date): Promise<RemovalResult>;
  /** The stored content of log `id`, opened (NotFound if the row or its file is gone). */
  openContent(id: number): Promise<{ log: BuildLog; file: ContentFile }>;
  /** The stored content of log `id` in chunks of at most 64 KiB. */
  readContent(id: number): AsyncGenerator<Buffer>;
  /** Existing content, then live output until the log closes; see follow-job.ts. */
  followLog(id: number, signal?: AbortSignal): AsyncGenerator<Buffer>;
  followJobLog(jobId: number, signal?: AbortSignal): AsyncGenerator<Buffer>;
  /** Number of open logs. */
  readonly openCount: number;
  /** Whether the log of `jobId` is open in this process. */
  isOpen(jobId: number): boolean;
  /** Followers receiving live output of the open log of `jobId` (not those catching up from the file). */
  liveFollowers(jobId: number): number;
  /** Resolves when background compression queued so far is done. */
  settled(): Promise<void>;
  /**
   * Writes and closes open files (their logs stay open in the database), stops compressing
   * (a log closed later is compressed at the next start) and waits for the compression under way.
   */
  shutdown(): Promise<void>;
}

/**
 * Creates the store over `<dataDir>/logs`, cleaning up after a crash: partial
 * compressions are removed and closed logs still uncompressed are queued.
 */
export async function createLogs(deps: LogsDeps): Promise<Logs> {
  const dir = logsDir(deps.dataDir);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (name.endsWith(".gz.tmp")) rmSync(join(dir, name), { force: true });
  const s: LogsState = {
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    jobEvents: deps.jobEvents,
    dir,
    options: { ...DEFAULT_LOGS_OPTIONS, ...deps.options },
    compressor: createCompressor(deps.store, deps.logger),
    writers: new Map(),
    locks: new Map(),
    waiters: new Map(),
  };
  const leftovers = await deps.store.em
    .fork()
    .find(BuildLogEntity, { compressed: false, result: { $ne: "running" } }, { disableIdentityMap: true });
  for (const row of leftovers) s.compressor.enqueue(row.id, pathsOf(s, row.jobId));

  const em = () => s.store.em.fork();
  const live = (jobId: number) => s.writers.get(jobId)?.size;
  const openContent = async (id: number) => {
    const row = await loadLogRow(em(), id);
    // Accepted output sits in memory only for a moment; a reader gets all of it.
    await s.writers.get(row.jobId)?.flush();
    const file = await openContentFile(pathsOf(s, row.jobId));
    if (!file) throw new NotFoundError(`the content of log ${id} is gone`);
    return { log: toBuildLog(row, live(row.jobId)), file };
  };
  return {
    openLog: (jobId, start) => withJobLock(s, jobId, () => openLogUnlocked(s, jobId, start)),
    appendLog: (jobId, bytes) => appendLog(s, jobId, bytes),
    closeLog: (jobId, end) => withJobLock(s, jobId, () => closeLogUnlocked(s, jobId, end)),
    writeSyntheticLog: (jobId, text, result, cause) =>
      withJobLock(s, jobId, () => writeSyntheticLogUnlocked(s, jobId, text, result, cause)),
    finalizeJobLog: (job) => withJobLock(s, job.id, () => finalizeJobLogUnlocked(s, job)),
    async getLog(id) {
      const row = await loadLogRow(em(), id);
      return toBuildLog(row, live(row.jobId));
    },
    async findLogOfJob(jobId) {
      const row = await findLogRowOfJob(em(), jobId);
      return row && toBuildLog(row, live(jobId));
    },
    async listLogs(filter) {
      const { rows, total } = await listLogRows(em(), filter);
      return { logs: rows.map((r) => toBuildLog(r, live(r.jobId))), total };
    },
    deleteLog: (id) => deleteLog(s, id),
    removeLogsStartedBefore: (cutoff) => removeLogsStartedBefore(s, cutoff),
    openContent,
    async *readContent(id) {
      const { file } = await openContent(id);
      yield* file.read();
    },
    followLog: (id, signal) => followLog(s, id, signal),
    followJobLog: (jobId, signal) => followJobLog(s, jobId, signal),
    get openCount() {
      return s.writers.size;
    },
    isOpen: (jobId) => s.writers.has(jobId),
    liveFollowers: (jobId) => s.writers.get(jobId)?.followerCount ?? 0,
    settled: () => s.compressor.settled(),
    async shutdown() {
      const writers = [...s.writers.values()];
      s.writers.clear();
      await Promise.allSettled(writers.map((w) => w.close()));
      await s.compressor.stop();
    },
  };
}
