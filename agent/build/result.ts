/**
 * What a build ended with, as the agent reports it to the server: outcome,
 * failure step, exit code, last log lines, packages to publish.
 */
import type { FailureStep } from "./steps.js";

/** The job states a build can end in. */
export type BuildOutcome = "succeeded" | "skipped" | "failed" | "timed_out" | "cancelled";

/** How a build ended. */
export interface BuildResult {
  readonly outcome: BuildOutcome;
  /** The container's exit code, when it ran. */
  readonly exitCode?: number;
  /** Set for `failed` and `timed_out`. */
  readonly failedStep?: FailureStep;
  /** Set for `skipped`: the script's reason. */
  readonly skipReason?: string;
  /** One line saying how it ended, e.g. `build failed in step build (exit code 4)`. */
  readonly message: string;
  /** The last (up to 50) log lines, agent lines included. */
  readonly lastLines: string[];
  /** Package files on the host, for `succeeded`. */
  readonly packages: string[];
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** A result before the runner adds its log and times. */
export type Ending = Omit<BuildResult, "message" | "lastLines" | "packages" | "startedAt" | "endedAt"> & {
  readonly packages?: string[];
};

/** The one-line `message` of a result. */
export function summary(result: Ending): string {
  const code = result.exitCode === undefined ? "" : ` (exit code ${result.exitCode})`;
  switch (result.outcome) {
    case "succeeded":
      return `build succeeded: ${result.packages?.length ?? 0} package(s)`;
    case "skipped":
      return `build skipped: ${result.skipReason ?? "this version is already in the repository"}`;
    case "cancelled":
      return `build cancelled${code}`;
    case "timed_out":
      return `build timed out${code}`;
    case "failed":
      return `build failed in step ${result.failedStep}${code}`;
  }
}
