/**
 * The agent's side of the protocol (lib/agent-protocol.ts): one long-lived
 * Connect stream to the server, reopened with exponential backoff and jitter
 * whenever it drops; builds keep running across reconnects and are reported
 * in the next session's Hello, never started twice.
 */
import { basename } from "node:path";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Transport, createClient } from "@connectrpc/connect";
import type { Logger } from "pino";
import { AgentService, type ConnectRequestSchema, type JobAssignment } from "../gen/vieter/v1/agent_service_pb.js";
import { FailureStep, JobState } from "../gen/vieter/v1/job_service_pb.js";
import { PROTOCOL_VERSION } from "../lib/agent-protocol.js";
import { AsyncQueue } from "../lib/async-queue.js";
import type { BuildExecutor, BuildOutcome, BuildStep } from "./executor.js";
import { LogBatcher } from "./log-batcher.js";
import { PublishCancelledError, PublishError, publishPackages } from "./publish.js";

type Request = MessageInitShape<typeof ConnectRequestSchema>;

/** Build output kept for the next session while disconnected, across all jobs. */
const MAX_PENDING_LOG_BYTES = 8 * 1024 * 1024;

/** How the agent connects and what it offers. */
export interface AgentOptions {
  readonly address: string;
  readonly token: string;
  readonly transport: Transport;
  readonly arches: readonly string[];
  readonly capacity: number;
  readonly version: string;
  readonly executor: BuildExecutor;
  readonly logger: Logger;
  /** Reconnect delays: doubling from `initialMs` up to `maxMs`, with full jitter. */
  readonly backoff?: { initialMs: number; maxMs: number };
}

const STATES: Record<BuildOutcome["outcome"], JobState> = {
  succeeded: JobState.SUCCEEDED,
  skipped: JobState.SKIPPED,
  failed: JobState.FAILED,
  timed_out: JobState.TIMED_OUT,
  cancelled: JobState.CANCELLED,
};

const STEPS: Record<BuildStep, FailureStep> = {
  image: FailureStep.IMAGE,
  fetch: FailureStep.FETCH,
  prepare: FailureStep.PREPARE,
  version_check: FailureStep.VERSION_CHECK,
  build: FailureStep.BUILD,
  publish: FailureStep.PUBLISH,
  timeout: FailureStep.TIMEOUT,
  infrastructure: FailureStep.INFRASTRUCTURE,
};

/** A build agent. */
export class BuildAgent {
  private readonly jobs = new Map<number, AbortController>();
  /** Build output from while disconnected, sent first in the next session. */
  private readonly pending: Request[] = [];
  /**
   * Final reports the server has not acknowledged, by job: sent again after
   * every reconnect until it does, since a report written while the stream
   * was dropping may never have arrived.
   */
  private readonly unacknowledged = new Map<number, Request>();
  private pendingLogBytes = 0;
  private outgoing: AsyncQueue<Request> | undefined;
  /** Number of sessions that reached Welcome (for tests and logs). */
  sessions = 0;

  constructor(private readonly options: AgentOptions) {}

  /** Ids of the builds running now. */
  get running(): number[] {
    return [...this.jobs.keys()];
  }

  /** Connects and serves until `signal` aborts; reconnects on any drop. */
  async run(signal: AbortSignal): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let delay = initialMs;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        await this.session(signal);
      } catch (err) {
        if (signal.aborted) break;
        this.options.logger.warn({ err: (err as Error).message }, "connection to the server lost");
      }
      if (signal.aborted) break;
      // A session that lasted a while resets the backoff.
      if (Date.now() - started > maxMs) delay = initialMs;
      const wait = Math.random() * delay;
      delay = Math.min(maxMs, delay * 2);
      await sleep(wait, signal);
    }
    for (const controller of this.jobs.values()) controller.abort();
  }

  private async session(signal: AbortSignal): Promise<void> {
    const outgoing = new AsyncQueue<Request>();
    outgoing.push({
      message: {
        case: "hello",
        value: {
          arches: [...this.options.arches],
          capacity: this.options.capacity,
          version: this.options.version,
          protocolVersion: PROTOCOL_VERSION,
          // A build whose final report is not acknowledged is still the agent's: the
          // server must let this session report on it.
          runningJobIds: [...this.running, ...this.unacknowledged.keys()].map(BigInt),
        },
      },
    });
    let heartbeat: NodeJS.Timeout | undefined;
    const client = createClient(AgentService, this.options.transport);
    try {
      const stream = client.connect(outgoing, { signal, headers: { authorization: `Bearer ${this.options.token}` } });
      for await (const res of stream) {
        const m = res.message;
        if (m.case === "welcome") {
          this.sessions++;
          this.outgoing = outgoing;
          // Output first: the final report closes the job's log.
          for (const chunk of this.pending.splice(0)) outgoing.push(chunk);
          for (const report of this.unacknowledged.values()) outgoing.push(report);
          this.pendingLogBytes = 0;
          const beat = () =>
            outgoing.push({ message: { case: "heartbeat", value: { jobIds: this.running.map(BigInt) } } });
          heartbeat = setInterval(beat, Math.max(1, m.value.heartbeatIntervalSeconds) * 1000);
          this.options.logger.info({ lease: m.value.leaseSeconds }, "connected to the server");
        } else if (m.case === "assignment") {
          this.start(m.value);
        } else if (m.case === "cancel") {
          this.jobs.get(Number(m.value.jobId))?.abort(new Error(m.value.reason));
        } else if (m.case === "jobUpdateAck") {
          this.acknowledged(Number(m.value.jobId), m.value.refusal);
        }
      }
    } finally {
      clearInterval(heartbeat);
      if (this.outgoing === outgoing) this.outgoing = undefined;
      outgoing.close();
    }
  }

  /**
   * Sends now, or keeps it for the next session: build output up to
   * MAX_PENDING_LOG_BYTES (beyond that it is dropped, so a long outage cannot
   * fill the agent's memory). A RUNNING update is not kept: the server
   * takes a final report on a job it still thinks dispatched. Final reports
   * go through `report`.
   */
  private send(message: Request): void {
    if (this.outgoing) this.outgoing.push(message);
    else if (message.message?.case === "logChunk") {
      const size = message.message.value.data?.length ?? 0;
      if (this.pendingLogBytes + size > MAX_PENDING_LOG_BYTES) return;
      this.pendingLogBytes += size;
      this.pending.push(message);
    }
  }

  /** Sends a final report now if connected, and keeps it until the server acknowledges it. */
  private report(jobId: number, outcome: BuildOutcome): void {
    const message: Request = { message: { case: "jobUpdate", value: finalUpdate(BigInt(jobId), outcome) } };
    this.unacknowledged.set(jobId, message);
    this.outgoing?.push(message);
  }

  private acknowledged(jobId: number, refusal: string): void {
    if (!this.unacknowledged.delete(jobId)) return;
    // Nothing to send again: the server will never take it.
    if (refusal !== "") this.options.logger.warn({ job: jobId, refusal }, "the server refused a final report");
  }

  private start(assignment: JobAssignment): void {
    const job = assignment.job!;
    const spec = assignment.spec!;
    const jobId = Number(job.id);
    if (this.jobs.has(jobId)) return; // already running it: never twice
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    const logs = new LogBatcher((data) => this.send({ message: { case: "logChunk", value: { jobId: job.id, data } } }));
    this.send({ message: { case: "jobUpdate", value: { jobId: job.id, state: JobState.RUNNING } } });
    void this.options
      .executor({
        jobId,
        arch: job.arch,
        force: job.force,
        kind: spec.kind,
        url: spec.url,
        branch: spec.branch,
        path: spec.path,
        repo: spec.repo,
        baseImage: spec.baseImage,
        timeoutSeconds: spec.timeoutSeconds,
        signal: controller.signal,
        onOutput: (chunk) => logs.append(chunk),
      })
      .then((outcome) => this.publish(outcome, spec.repo, controller.signal, logs))
      .catch((err: unknown) => infrastructureFailure(err))
      .then((outcome) => {
        logs.flush();
        this.jobs.delete(jobId);
        this.report(jobId, outcome);
      });
  }

  private async publish(
    outcome: BuildOutcome,
    repo: string,
    signal: AbortSignal,
    logs: LogBatcher,
  ): Promise<BuildOutcome> {
    if (outcome.outcome !== "succeeded") return outcome;
    try {
      await publishPackages(this.options.address, this.options.token, repo, outcome.packages, {
        signal,
        // Lands in the build log once the server is reachable again.
        onRetry: (err, delayMs) =>
          logs.append(Buffer.from(`==> vieter: ${err.message}; trying again in ${delayMs / 1000} s\n`)),
      });
      return outcome;
    } catch (err) {
      if (err instanceof PublishCancelledError) return cancelledWhilePublishing(outcome, err, signal, logs);
      const message = (err as Error).message;
      return {
        ...outcome,
        outcome: "failed",
        step: "publish",
        message,
        transient: err instanceof PublishError && err.transient,
      };
    }
  }
}

/**
 * A cancel that arrived while publishing: the job ends cancelled, and its
 * log says which packages were already in the repository (they stay: a
 * repository has no undo) and which were not.
 */
function cancelledWhilePublishing(
  outcome: BuildOutcome,
  err: PublishCancelledError,
  signal: AbortSignal,
  logs: LogBatcher,
): BuildOutcome {
  const names = (files: readonly string[]) => (files.length === 0 ? "none" : files.map((f) => basename(f)).join(", "));
  const reason = signal.reason instanceof Error ? signal.reason.message : "cancelled";
  const lines = [
    `==> vieter: cancelled while publishing (${reason})`,
    `==> vieter: already published, they stay in the repository: ${names(err.published)}`,
    `==> vieter: not published: ${names(err.unpublished)}`,
  ];
  logs.append(Buffer.from(lines.map((l) => `${l}\n`).join("")));
  return {
    outcome: "cancelled",
    message: `cancelled while publishing: ${err.published.length} of ${outcome.packages.length} package(s) were published and stay in the repository`,
    lastLines: [...outcome.lastLines, ...lines].slice(-50),
    packages: outcome.packages,
  };
}

/** The final JobUpdate of a build. */
function finalUpdate(jobId: bigint, o: BuildOutcome) {
  return {
    jobId,
    state: STATES[o.outcome],
    message: o.message,
    ...(o.outcome === "succeeded"
      ? {}
      : {
          cause: {
            step: o.step ? STEPS[o.step] : FailureStep.UNSPECIFIED,
            ...(o.exitCode === undefined ? {} : { exitCode: o.exitCode }),
            message: o.message,
            lastLines: [...o.lastLines],
            transient: o.transient ?? false,
          },
        }),
  };
}

function infrastructureFailure(err: unknown): BuildOutcome {
  return { outcome: "failed", step: "infrastructure", message: (err as Error).message, lastLines: [], packages: [] };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // The listener goes when the time is up: one per reconnect would pile up on the agent's signal.
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
