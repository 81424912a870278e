/**
 * The build log model: the metadata of one job's log. The content is a file
 * (see paths.ts); what a log is while its job runs lives in writer.ts.
 */
import type { FailureCause, JobState } from "../jobs/index.js";

/** A log's result: the job's final state, or "running" while the log is open. */
export type LogResult = JobState;

/** Log metadata. */
export interface BuildLog {
  readonly id: number;
  readonly jobId: number;
  readonly targetId: number;
  readonly arch: string;
  /** The agent that ran (or tried to run) the job; empty if none did. */
  readonly agent: string;
  readonly startedAt: Date;
  /** Unset while the log is open. */
  readonly endedAt?: Date | undefined;
  readonly exitCode?: number | undefined;
  readonly result: LogResult;
  readonly cause?: FailureCause | undefined;
  /** Bytes of content (uncompressed); grows while the log is open. */
  readonly size: number;
  /** Written by the server because no build output arrived (see synthetic.ts). */
  readonly synthetic: boolean;
}

/** What {@link Logs.openLog} needs to know about the job starting to build. */
export interface LogStart {
  readonly targetId: number;
  readonly arch: string;
  readonly agent: string;
  /** Defaults to now. */
  readonly startedAt?: Date | undefined;
}

/** How a log ends: the job's outcome. */
export interface LogEnd {
  /** The build's exit code, when it exited. */
  readonly exitCode?: number | undefined;
  /** The job's final state (not an active one). */
  readonly result: LogResult;
  readonly cause?: FailureCause | undefined;
}
