/**
 * What the agent loop asks of a build, independent of how it runs: the
 * container implementation lives in agent/build, tests may use a fake.
 */

/** One job's build, as the server assigned it. */
export interface BuildRequest {
  readonly jobId: number;
  readonly arch: string;
  readonly force: boolean;
  readonly kind: string;
  readonly url: string;
  readonly branch: string;
  readonly path: string;
  readonly repo: string;
  readonly baseImage: string;
  readonly timeoutSeconds: number;
  /** Aborted when the server cancels the job. */
  readonly signal: AbortSignal;
  /** Build output, in order. */
  readonly onOutput: (chunk: Uint8Array) => void;
}

/** The failing step, in the protocol's terms. */
export type BuildStep =
  "image" | "fetch" | "prepare" | "version_check" | "build" | "publish" | "timeout" | "infrastructure";

/** How a build ended; packages are files on the agent's disk, to publish. */
export interface BuildOutcome {
  readonly outcome: "succeeded" | "skipped" | "failed" | "timed_out" | "cancelled";
  readonly exitCode?: number;
  readonly step?: BuildStep;
  readonly message: string;
  readonly lastLines: readonly string[];
  readonly packages: readonly string[];
  /** A publish failure that may pass (connection error or 5xx); the server retries those. */
  readonly transient?: boolean;
}

/** Runs one build. Never throws for build failures: they are outcomes. */
export type BuildExecutor = (request: BuildRequest) => Promise<BuildOutcome>;
