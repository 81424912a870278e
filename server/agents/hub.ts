/**
 * The server's side of the agent protocol (see lib/agent-protocol.ts): who is
 * connected, pushing ready jobs to free slots, renewing and expiring leases,
 * forwarding cancellations and taking reports. Transport-free: the Connect
 * adapter in server/rpc/agent-service.ts feeds it. Dispatch, leases and
 * reports all work on the one session table, hence the length; what stands
 * alone lives beside it (final-report.ts, build-spec.ts).
 */
import type { Logger } from "pino";
import {
  DomainError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
} from "../../lib/errors.js";
import { PROTOCOL_VERSION } from "../../lib/agent-protocol.js";
import type { Clock } from "../clock.js";
import {
  type FailureCause,
  type Job,
  type JobEvents,
  type JobOutcome,
  type JobsEnv,
  claimNextJob,
  claimQueuedJob,
  expireLeases,
  extendLease,
  isFinal,
  retryIfTransient,
  startJob,
  yieldPairTurn,
} from "../jobs/index.js";
import type { Store } from "../store/orm.js";
import { type BuildDefaults, buildSpecFor } from "./build-spec.js";
import { type ReportAnswer, takeFinalReport } from "./final-report.js";
import { type AgentHello, AgentSession } from "./session.js";

/** Receives build output; the logs module implements it. */
export interface BuildLogSink {
  append(job: Job, data: Uint8Array): void | Promise<void>;
  close(job: Job): void | Promise<void>;
}

/** Settings and collaborators of the hub. */
export interface AgentHubDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: JobEvents;
  readonly logger: Logger;
  readonly defaults: BuildDefaults;
  readonly leaseSeconds: number;
  readonly heartbeatSeconds: number;
  /** Automatic retries of a job whose failure may pass, a lost agent aside (config max_transient_retries). */
  readonly maxTransientRetries: number;
  /** Re-queues of a job whose agent stopped renewing its lease, per retry chain (config max_lost_requeues). */
  readonly maxLostRequeues: number;
  readonly logs?: BuildLogSink;
}

/** The admin view of one agent. */
export interface AgentInfo {
  readonly name: string;
  readonly arches: readonly string[];
  readonly capacity: number;
  readonly runningJobIds: number[];
  readonly lastSeen: Date;
  readonly version: string;
  readonly draining: boolean;
  readonly connected: boolean;
}

/** Connected agents and the jobs they hold. */
export class AgentHub {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly seen = new Map<string, AgentSession>();
  private readonly draining = new Set<string>();
  private dispatching: Promise<void> | undefined;
  /** A full pass is due (a slot freed, an agent came, a tick). */
  private passWanted = false;
  /** Jobs just queued, to hand straight to a free slot of their arch. */
  private readonly offered = new Map<number, Job>();
  private readonly stopController = new AbortController();
  // Agent messages being applied and lease sweeps under way: `idle` waits for them at shutdown.
  private readonly applying = new Set<Promise<unknown>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: AgentHubDeps) {}

  /** Starts following job changes, the lease sweep and the due-job tick. */
  start(): void {
    void this.followJobs();
    this.sweepTimer = setInterval(
      () => void this.track(this.sweepLeases()),
      1000 * Math.max(1, this.deps.heartbeatSeconds / 2),
    );
    // Scheduled jobs become due without any change event; look once a second.
    this.tickTimer = setInterval(() => this.requestDispatch(), 1000);
    this.sweepTimer.unref();
    this.tickTimer.unref();
  }

  /** Stops timers and closes every session. */
  stop(): void {
    this.stopController.abort();
    clearInterval(this.sweepTimer);
    clearInterval(this.tickTimer);
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }

  /** Registers an agent (named by its token) and answers Welcome; see the protocol text. */
  async connect(name: string, hello: AgentHello): Promise<AgentSession> {
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      throw new FailedPreconditionError(
        `agent ${name} speaks protocol version ${hello.protocolVersion}, this server speaks ${PROTOCOL_VERSION}; upgrade the older side`,
      );
    }
    if (!Number.isInteger(hello.capacity) || hello.capacity < 1 || hello.capacity > 256) {
      throw new InvalidArgumentError("capacity", `${hello.capacity} is not between 1 and 256`);
    }
    if (hello.arches.length === 0) throw new InvalidArgumentError("arches", "an agent must build at least one arch");
    this.sessions.get(name)?.close();
    const session = new AgentSession(name, hello, this.deps.clock.now());
    this.sessions.set(name, session);
    this.seen.set(name, session);
    await this.reconcile(session);
    session.send({
      kind: "welcome",
      heartbeatSeconds: this.deps.heartbeatSeconds,
      leaseSeconds: this.deps.leaseSeconds,
    });
    this.deps.logger.info({ agent: name, arches: hello.arches, capacity: hello.capacity }, "agent connected");
    this.requestDispatch();
    return session;
  }

  /** The stream ended; held jobs keep their leases until they expire or the agent returns. */
  disconnect(session: AgentSession): void {
    session.close();
    if (this.sessions.get(session.name) === session) this.sessions.delete(session.name);
    this.deps.logger.info({ agent: session.name }, "agent disconnected");
  }

  /** Renews the leases of the jobs the agent says it still runs. */
  async heartbeat(session: AgentSession, jobIds: readonly number[]): Promise<void> {
    session.lastSeen = this.deps.clock.now();
    for (const id of jobIds) {
      if (!session.running.has(id)) continue;
      try {
        const job = await extendLease(this.env(), id, session.name, this.deps.leaseSeconds);
        if (job.cancelRequestedAt) this.sendCancel(session, id, job.cancelReason ?? "cancelled");
      } catch (err) {
        // The job ended meanwhile (e.g. declared lost): the agent must stop it.
        session.running.delete(id);
        this.sendCancel(session, id, (err as Error).message);
      }
    }
  }

  /**
   * A progress report: running, or a final outcome. The job's row, not the
   * session, says who holds it: a build that ended while the agent was
   * disconnected is reported in its next session. Another agent's job gives
   * PermissionDenied. Every final report is acknowledged (see final-report.ts),
   * a repeated one too.
   */
  async report(
    session: AgentSession,
    jobId: number,
    state: "running" | JobOutcome,
    cause?: FailureCause,
  ): Promise<void> {
    session.lastSeen = this.deps.clock.now();
    if (state === "running") {
      const job = await startJob(this.env(), jobId, session.name);
      if (session.running.has(jobId)) session.running.set(jobId, job);
      return;
    }
    let answer: ReportAnswer;
    try {
      answer = await takeFinalReport(this.env(), session.name, jobId, state, cause);
    } catch (err) {
      // Refused for good: the agent stops sending it. Any other error ends the session
      // unanswered, and the agent sends the report again once it has reconnected.
      if (err instanceof DomainError) session.send({ kind: "ack", jobId, refusal: err.message });
      throw err;
    }
    session.running.delete(jobId);
    session.send({ kind: "ack", jobId, state: answer.state, refusal: answer.refusal });
    const job = answer.ended;
    if (!job) return; // reported before: its log and retry were handled then
    // The freed slot takes its next job before the log is closed; a retry queued below dispatches itself.
    this.requestDispatch();
    await this.deps.logs?.close(job);
    await this.retryIfTransient(job);
  }

  /** Build output for a job the agent holds; no database read (the session keeps the job). */
  async log(session: AgentSession, jobId: number, data: Uint8Array): Promise<void> {
    const job = session.running.get(jobId);
    if (!job) throw new PermissionDeniedError(`agent ${session.name} does not hold job ${jobId}`);
    await this.deps.logs?.append(job, data);
  }

  /** Every agent seen since start, connected or not. */
  list(): AgentInfo[] {
    return [...this.seen.values()]
      .map((s) => ({
        name: s.name,
        arches: s.hello.arches,
        capacity: s.hello.capacity,
        runningJobIds: [...s.running.keys()].sort((a, b) => a - b),
        lastSeen: s.lastSeen,
        version: s.hello.version,
        draining: this.draining.has(s.name),
        connected: this.sessions.get(s.name) === s && s.connected,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Stops (or resumes) handing new jobs to an agent; its running builds finish. */
  drain(name: string, draining: boolean): AgentInfo {
    if (!this.seen.has(name)) throw new NotFoundError(`agent ${name} is not known`);
    if (draining) this.draining.add(name);
    else this.draining.delete(name);
    this.requestDispatch();
    return this.list().find((a) => a.name === name)!;
  }

  /** Runs a dispatch pass soon; passes never overlap. */
  requestDispatch(): void {
    this.passWanted = true;
    this.kick();
  }

  /** A job was just queued: it goes to a free slot of its arch without a search, or waits for a pass. */
  private offer(job: Job): void {
    this.offered.set(job.id, job);
    this.kick();
  }

  private kick(): void {
    if (this.dispatching || this.stopController.signal.aborted) return;
    this.dispatching = this.dispatchLoop().finally(() => {
      this.dispatching = undefined;
      // Asked for between the loop's last look and now.
      if (this.passWanted || this.offered.size > 0) this.kick();
    });
  }

  /**
   * Applies the effect of one agent message. After `stop` nothing more is
   * applied, since the database is about to close: the message is refused, and
   * a final report, never acknowledged, is sent again to the next server.
   */
  apply<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopController.signal.aborted) {
      return Promise.reject(new FailedPreconditionError("the server is shutting down"));
    }
    return this.track(work());
  }

  /**
   * Resolves when no dispatch pass runs, no agent message is being applied and
   * no lease sweep is under way (shutdown waits for this before the database
   * closes; tests wait for dispatch).
   */
  async idle(): Promise<void> {
    while (this.dispatching || this.applying.size > 0) {
      await Promise.allSettled([this.dispatching, ...this.applying]);
    }
  }

  private track<T>(running: Promise<T>): Promise<T> {
    this.applying.add(running);
    const forget = () => this.applying.delete(running);
    running.then(forget, forget);
    return running;
  }

  private async dispatchLoop(): Promise<void> {
    while ((this.passWanted || this.offered.size > 0) && !this.stopController.signal.aborted) {
      const offered = [...this.offered.values()];
      this.offered.clear();
      const pass = this.passWanted;
      this.passWanted = false;
      try {
        // A pass finds the offered jobs too, in the queue's order.
        if (pass) await this.dispatchPass();
        else for (const job of offered) await this.dispatchOffered(job);
      } catch (err) {
        this.deps.logger.error({ err }, "dispatch pass failed");
      }
    }
  }

  /**
   * The short path from "queued" to an agent: a conditional update of that
   * one job for the freest agent of its arch, the assignment sent, then the
   * fairness update. A job that cannot go now (no free slot, not due, its
   * target×arch busy) stays queued: the pass after a slot frees, a job ends
   * or the tick finds it.
   */
  private async dispatchOffered(queued: Job): Promise<void> {
    const session = this.freestSession(queued.arch);
    if (!session) return;
    const env = this.env();
    const job = await claimQueuedJob(env, queued, {
      arch: queued.arch,
      agent: session.name,
      leaseSeconds: this.deps.leaseSeconds,
    });
    if (!job) return;
    await this.assign(session, job);
    env.events.publish(job);
    await yieldPairTurn(env, job);
  }

  /** The connected, undrained agent of `arch` with the most free slots. */
  private freestSession(arch: string): AgentSession | undefined {
    let freest: AgentSession | undefined;
    for (const s of this.sessions.values()) {
      if (!s.connected || this.draining.has(s.name) || !s.hello.arches.includes(arch)) continue;
      if (s.freeSlots > (freest?.freeSlots ?? 0)) freest = s;
    }
    return freest;
  }

  private async assign(session: AgentSession, job: Job): Promise<void> {
    session.running.set(job.id, job);
    const spec = await buildSpecFor(this.deps.store.em.fork(), job, this.deps.defaults);
    session.send({ kind: "assign", job, spec, leaseExpiresAt: job.leaseExpiresAt ?? this.deps.clock.now() });
  }

  private async dispatchPass(): Promise<void> {
    // An arch with nothing ready has nothing for the next agent either; jobs queued
    // meanwhile request another pass, so skipping it for the rest of this one loses none.
    const exhausted = new Set<string>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const session of this.sessions.values()) {
        if (!session.connected || this.draining.has(session.name) || session.freeSlots === 0) continue;
        for (const arch of session.hello.arches) {
          if (session.freeSlots === 0) break;
          if (exhausted.has(arch)) continue;
          const job = await claimNextJob(this.env(), {
            arch,
            agent: session.name,
            leaseSeconds: this.deps.leaseSeconds,
          });
          if (!job) {
            exhausted.add(arch);
            continue;
          }
          progress = true;
          await this.assign(session, job);
        }
      }
    }
  }

  /** Ends the jobs of expired leases: lost and re-queued, or failed once max_lost_requeues is spent. */
  async sweepLeases(): Promise<void> {
    try {
      const { ended, requeued } = await expireLeases(this.env(), this.deps.maxLostRequeues);
      for (const job of ended) {
        for (const s of this.sessions.values()) s.running.delete(job.id);
        const retry = requeued.find((r) => r.retryOfId === job.id);
        this.deps.logger.warn(
          { job: job.id, agent: job.agent, state: job.state, retry: retry?.id },
          "agent stopped renewing the lease",
        );
        await this.deps.logs?.close(job);
      }
      if (ended.length > 0) this.requestDispatch();
    } catch (err) {
      this.deps.logger.error({ err }, "lease sweep failed");
    }
  }

  private async retryIfTransient(job: Job): Promise<void> {
    const retry = await retryIfTransient(this.env(), job, this.deps.maxTransientRetries);
    if (retry)
      this.deps.logger.info({ job: job.id, retry: retry.id, attempt: retry.attempt }, "transient failure retried");
  }

  /** A reconnecting agent keeps the jobs it still holds; anything else it runs must stop. */
  private async reconcile(session: AgentSession): Promise<void> {
    for (const id of session.hello.runningJobIds) {
      try {
        session.running.set(id, await extendLease(this.env(), id, session.name, this.deps.leaseSeconds));
      } catch (err) {
        this.sendCancel(session, id, `job ${id} is no longer yours: ${(err as Error).message}`);
      }
    }
  }

  private sendCancel(session: AgentSession, jobId: number, reason: string): void {
    if (session.cancelSent.has(jobId)) return;
    session.cancelSent.add(jobId);
    session.send({ kind: "cancel", jobId, reason });
  }

  private async followJobs(): Promise<void> {
    const changes = this.deps.events.subscribe({}, { signal: this.stopController.signal, maxBuffered: 100_000 });
    try {
      for await (const job of changes) {
        if (job.state === "queued") this.offer(job);
        const holder = job.agent ? this.sessions.get(job.agent) : undefined;
        if (!holder) continue;
        if (job.cancelRequestedAt && !isFinal(job.state))
          this.sendCancel(holder, job.id, job.cancelReason ?? "cancelled");
        if (isFinal(job.state) && holder.running.delete(job.id)) this.requestDispatch();
      }
    } catch (err) {
      if (!this.stopController.signal.aborted) this.deps.logger.error({ err }, "job change feed ended");
    }
  }

  private env(): JobsEnv {
    return { em: this.deps.store.em.fork(), clock: this.deps.clock, events: this.deps.events };
  }
}
