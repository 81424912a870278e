/**
 * Makes sure every job that was handed to an agent ends with a closed log,
 * whatever the agent managed to send. It listens to job changes: when a job
 * reaches a final state, the agent gets `finalizeGraceMs` to close the log
 * itself (its last output may still be on the way), then the server closes
 * an open log with the job's outcome or writes a synthetic one. At start it
 * also closes logs a restart left open whose job has ended meanwhile.
 */
import type { Logger } from "pino";
import { type Job, type JobEvents, getJob, isFinal } from "../jobs/index.js";
import { BuildLogEntity } from "../store/entities/build-log.js";
import type { Store } from "../store/orm.js";
import type { Logs } from "./logs.js";

/** What the finalizer needs. */
export interface FinalizerDeps {
  readonly logs: Logs;
  readonly store: Store;
  readonly jobEvents: JobEvents;
  readonly logger: Logger;
  /** Time the agent gets, after its job ended, to close the log itself; default 10 s. */
  readonly graceMs?: number;
}

/** A started (or not yet started) finalizer. */
export interface LogFinalizer {
  /** Closes logs orphaned by a restart, then starts listening; resolves with the number closed. */
  start(): Promise<number>;
  /** Stops listening; pending grace periods are dropped, finalizations under way finish. */
  stop(): Promise<void>;
}

const DEFAULT_GRACE_MS = 10_000;

// Every job change passes through; a burst (a scheduling pass queuing
// thousands of jobs in one publish) must not end the subscription.
const MAX_BUFFERED = 1_000_000;

/** Creates a finalizer; nothing happens until `start`. */
export function createLogFinalizer(deps: FinalizerDeps): LogFinalizer {
  const controller = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let listening: Promise<void> | undefined;

  const finalize = (job: Job) => {
    const p = deps.logs
      .finalizeJobLog(job)
      .catch((err: unknown) => deps.logger.error({ err, jobId: job.id }, "could not finalize a job's build log"))
      .finally(() => running.delete(p));
    running.add(p);
    return p;
  };

  const listen = async () => {
    while (!controller.signal.aborted) {
      const changes = deps.jobEvents.subscribe({}, { signal: controller.signal, maxBuffered: MAX_BUFFERED });
      try {
        for await (const job of changes) {
          if (!isFinal(job.state) || job.agent === "") continue;
          const timer = setTimeout(() => {
            timers.delete(timer);
            void finalize(job);
          }, deps.graceMs ?? DEFAULT_GRACE_MS);
          timers.add(timer);
        }
      } catch (err) {
        deps.logger.warn({ err }, "build log finalizer fell behind on job changes; listening again");
      }
    }
  };

  return {
    async start() {
      // Subscribe first, so a job ending during the sweep is not missed.
      listening = listen();
      const open = await deps.store.em
        .fork()
        .find(BuildLogEntity, { result: "running" }, { disableIdentityMap: true, fields: ["id", "jobId"] });
      let closed = 0;
      for (const row of open) {
        const job = await getJob(deps.store.em.fork(), row.jobId).catch(() => undefined);
        if (job && isFinal(job.state) && (await finalize(job)) === "closed") closed++;
      }
      if (closed > 0) deps.logger.info({ closed }, `closed ${closed} build logs left open by a restart`);
      return closed;
    },
    async stop() {
      controller.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await listening;
      await Promise.allSettled([...running]);
    },
  };
}
