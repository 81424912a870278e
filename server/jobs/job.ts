/**
 * The job model: one build of one target for one arch, tracked from the
 * moment it is queued until it ends.
 */

/** Where a job is in its life; see states.ts for the allowed moves. */
export type JobState =
  "queued" | "dispatched" | "running" | "succeeded" | "failed" | "skipped" | "timed_out" | "cancelled" | "lost";

/** Every state, in life order. */
export const JOB_STATES: readonly JobState[] = [
  "queued",
  "dispatched",
  "running",
  "succeeded",
  "failed",
  "skipped",
  "timed_out",
  "cancelled",
  "lost",
];

/** Why a job exists. */
export type JobReason = "scheduled" | "manual" | "retry";

/** The build step that failed, as the agent reports it. */
export type FailureStep =
  "image" | "fetch" | "prepare" | "version_check" | "build" | "publish" | "timeout" | "agent_lost" | "infrastructure";

/** Why a job did not succeed. */
export interface FailureCause {
  /** Undefined when no build step is to blame (e.g. a cancellation). */
  readonly step?: FailureStep | undefined;
  readonly exitCode?: number | undefined;
  readonly message: string;
  readonly lastLines: readonly string[];
  /** The failure may pass by itself; see auto-retry.ts for which ones and what follows. */
  readonly transient?: boolean | undefined;
}

/** A stored job. Optional timestamps are set by the transition that reaches them. */
export interface Job {
  readonly id: number;
  readonly targetId: number;
  readonly arch: string;
  readonly force: boolean;
  readonly reason: JobReason;
  readonly state: JobState;
  /** The agent holding or having held the job; empty while queued. */
  readonly agent: string;
  /** 1 for a first attempt; a retry has its original's attempt + 1. */
  readonly attempt: number;
  /** The job this one retries. */
  readonly retryOfId?: number | undefined;
  readonly createdAt: Date;
  /** Not handed out before this time. */
  readonly dueAt: Date;
  readonly dispatchedAt?: Date | undefined;
  readonly startedAt?: Date | undefined;
  readonly endedAt?: Date | undefined;
  /** While dispatched or running: the agent must renew its lease before this. */
  readonly leaseExpiresAt?: Date | undefined;
  /** Set by CancelJob on a dispatched or running job; the agent protocol delivers it. */
  readonly cancelRequestedAt?: Date | undefined;
  readonly cancelReason: string;
  readonly cause?: FailureCause | undefined;
}
