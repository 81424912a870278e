/**
 * What the parts of the log store share: open writers by job, a lock per
 * job for opening and closing, and the followers waiting for a job's log to
 * appear or change.
 */
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { JobEvents } from "../jobs/index.js";
import type { Store } from "../store/orm.js";
import type { Compressor } from "./compress.js";
import type { LogsOptions } from "./options.js";
import { type LogPaths, logPaths } from "./paths.js";
import type { LogWriter } from "./writer.js";

/** The store's shared state; internal to server/logs. */
export interface LogsState {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly jobEvents: JobEvents;
  /** `<data_dir>/logs`. */
  readonly dir: string;
  readonly options: LogsOptions;
  readonly compressor: Compressor;
  /** Open logs by job id. */
  readonly writers: Map<number, LogWriter>;
  readonly locks: Map<number, Promise<unknown>>;
  readonly waiters: Map<number, Set<() => void>>;
}

/** The files of a job's log. */
export function pathsOf(s: LogsState, jobId: number): LogPaths {
  return logPaths(s.dir, jobId);
}

/**
 * Runs `fn` after every earlier locked call for the same job has finished,
 * so opening, closing and synthetic writing of one log never interleave.
 */
export function withJobLock<T>(s: LogsState, jobId: number, fn: () => Promise<T>): Promise<T> {
  const before = s.locks.get(jobId) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const done = run.then(
    () => undefined,
    () => undefined,
  );
  s.locks.set(jobId, done);
  void done.then(() => {
    if (s.locks.get(jobId) === done) s.locks.delete(jobId);
  });
  return run;
}

/** Wakes everyone waiting for a change of the log of `jobId` (opened, closed, written). */
export function notifyLogChanged(s: LogsState, jobId: number): void {
  const set = s.waiters.get(jobId);
  if (!set) return;
  s.waiters.delete(jobId);
  for (const wake of set) wake();
}

/** A promise settled by the next change of the log of `jobId`; register before checking. */
export function nextLogChange(s: LogsState, jobId: number): { readonly changed: Promise<void>; cancel(): void } {
  let wake!: () => void;
  const changed = new Promise<void>((resolve) => (wake = resolve));
  let set = s.waiters.get(jobId);
  if (!set) s.waiters.set(jobId, (set = new Set()));
  set.add(wake);
  return {
    changed,
    cancel() {
      const current = s.waiters.get(jobId);
      current?.delete(wake);
      if (current?.size === 0) s.waiters.delete(jobId);
    },
  };
}

/** A promise resolved when `signal` aborts (never, without one); `dispose` removes the listener. */
export function aborted(signal: AbortSignal | undefined): { readonly promise: Promise<void>; dispose(): void } {
  if (!signal) return { promise: new Promise(() => undefined), dispose: () => undefined };
  let onAbort!: () => void;
  const promise = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}
