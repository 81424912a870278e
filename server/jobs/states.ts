/**
 * The job state machine. Every state change goes through `assertTransition`
 * (and a conditional update on the old state), so an illegal move is refused
 * instead of silently rewriting history.
 */
import { IllegalJobTransitionError } from "./errors.js";
import type { JobState } from "./job.js";

/** Each state and the states it may move to. Final states move nowhere. */
export const TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ["dispatched", "cancelled"],
  // An agent can fail before the build starts (builder image, infrastructure).
  dispatched: ["running", "failed", "cancelled", "lost"],
  running: ["succeeded", "failed", "skipped", "timed_out", "cancelled", "lost"],
  succeeded: [],
  failed: [],
  skipped: [],
  timed_out: [],
  cancelled: [],
  lost: [],
};

/** States a job never leaves. */
export const FINAL_STATES: readonly JobState[] = (Object.keys(TRANSITIONS) as JobState[]).filter(
  (s) => TRANSITIONS[s].length === 0,
);

/** States in which an agent holds the job (and its target×arch is busy). */
export const ACTIVE_STATES: readonly JobState[] = ["dispatched", "running"];

/** Whether a job in `from` may move to `to`. */
export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whether `state` is final. */
export function isFinal(state: JobState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** Throws IllegalJobTransitionError unless `from` → `to` is allowed. */
export function assertTransition(jobId: number, from: JobState, to: JobState): void {
  if (!canTransition(from, to)) throw new IllegalJobTransitionError(jobId, from, to);
}
