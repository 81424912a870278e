/**
 * Following a log by job: wait for the build to start, stream the log while
 * it is written, end when it closes. A closed log is simply streamed.
 */
import { NotFoundError } from "../../lib/errors.js";
import { getJob, isFinal } from "../jobs/index.js";
import { openContentFile } from "./content.js";
import { followWriter } from "./follow.js";
import { findLogRowOfJob, loadLogRow } from "./rows.js";
import { type LogsState, aborted, nextLogChange, pathsOf } from "./state.js";

const NEVER = new Promise<void>(() => undefined);

/**
 * The content of the log of job `jobId`: what exists, then new output until
 * the log is closed. Before the build starts it waits (for the log to be
 * opened, or a synthetic one written). NotFound for an unknown job or one
 * that ended without ever being handed to an agent. Ends quietly when
 * `signal` aborts, also while suspended at a yield (a transport that stops
 * reading does not always return the generator it was reading).
 */
export function followJobLog(s: LogsState, jobId: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  return endOnAbort((done) => follow(s, jobId, signal, done), signal);
}

async function* follow(
  s: LogsState,
  jobId: number,
  signal: AbortSignal | undefined,
  done: () => void,
): AsyncGenerator<Buffer> {
  const jobChanges = s.jobEvents.subscribe({ jobId }, { signal });
  const stop = aborted(signal);
  let jobChanged: Promise<void> | undefined;
  try {
    while (!signal?.aborted) {
      // Registered before looking, so a log opened meanwhile still wakes us.
      const logChange = nextLogChange(s, jobId);
      try {
        const writer = s.writers.get(jobId);
        if (writer) return yield* followWriter(writer, pathsOf(s, jobId).plain, signal);
        const em = s.store.em.fork();
        const row = await findLogRowOfJob(em, jobId);
        if (row && row.result !== "running") return yield* storedContent(s, jobId, row.id);
        if (!row) {
          const job = await getJob(em, jobId);
          if (isFinal(job.state) && job.agent === "") {
            throw new NotFoundError(`job ${jobId} ended (${job.state}) before an agent took it; it has no log`);
          }
        }
        // Not started (or open but orphaned by a restart): wait for the log or the job to change.
        // An ended subscription (aborted) is not waited on again.
        jobChanged ??= jobChanges.next().then(
          (r) => void (jobChanged = r.done ? NEVER : undefined),
          () => void (jobChanged = NEVER),
        );
        await Promise.race([logChange.changed, jobChanged, stop.promise]);
      } finally {
        logChange.cancel();
      }
    }
  } finally {
    done();
    stop.dispose();
    await jobChanges.return?.();
  }
}

/** {@link followJobLog} for the job of log `id`. */
export function followLog(s: LogsState, id: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  return endOnAbort(async function* (done) {
    try {
      const row = await loadLogRow(s.store.em.fork(), id);
      yield* follow(s, row.jobId, signal, () => undefined);
    } finally {
      done();
    }
  }, signal);
}

/**
 * Runs `make` and returns its generator, which `signal` ends by calling
 * `return()` on it: that runs its `finally` blocks (detaching the follower,
 * closing the file) even while it is suspended at a yield. `make` calls
 * `done` from its own `finally` to remove the listener.
 */
function endOnAbort(
  make: (done: () => void) => AsyncGenerator<Buffer>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  const onAbort = () => void generator.return(undefined).catch(() => undefined);
  const generator = make(() => signal?.removeEventListener("abort", onAbort));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return generator;
}

async function* storedContent(s: LogsState, jobId: number, logId: number): AsyncGenerator<Buffer> {
  const file = await openContentFile(pathsOf(s, jobId));
  if (!file) throw new NotFoundError(`the content of log ${logId} is gone`);
  yield* file.read();
}
