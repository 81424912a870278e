/**
 * One connected agent: what it announced, the jobs it holds, and the messages
 * waiting to be sent to it.
 */
import type { Job, JobState } from "../jobs/index.js";
import { AsyncQueue } from "../../lib/async-queue.js";
import type { BuildSpec } from "./build-spec.js";

/** What an agent says about itself when it connects. */
export interface AgentHello {
  readonly arches: readonly string[];
  readonly capacity: number;
  readonly version: string;
  readonly protocolVersion: number;
  /** Jobs it still runs from before a reconnect. */
  readonly runningJobIds: readonly number[];
}

/** Messages from the server to an agent. */
export type ToAgent =
  | { readonly kind: "welcome"; readonly heartbeatSeconds: number; readonly leaseSeconds: number }
  | { readonly kind: "assign"; readonly job: Job; readonly spec: BuildSpec; readonly leaseExpiresAt: Date }
  | { readonly kind: "cancel"; readonly jobId: number; readonly reason: string }
  /** A final report arrived; `refusal` is empty when it was taken (now or before). */
  | { readonly kind: "ack"; readonly jobId: number; readonly state?: JobState; readonly refusal: string };

/** A connected agent. */
export class AgentSession {
  readonly outbox = new AsyncQueue<ToAgent>();
  /**
   * The jobs it holds, by id, as last read or written by the hub: log chunks
   * need the job's row, and reading it once per chunk would cost a query each.
   */
  readonly running = new Map<number, Job>();
  readonly cancelSent = new Set<number>();
  connected = true;
  lastSeen: Date;

  constructor(
    readonly name: string,
    readonly hello: AgentHello,
    now: Date,
  ) {
    this.lastSeen = now;
  }

  /** Free build slots. */
  get freeSlots(): number {
    return Math.max(0, this.hello.capacity - this.running.size);
  }

  send(message: ToAgent): void {
    this.outbox.push(message);
  }

  close(): void {
    this.connected = false;
    this.outbox.close();
  }
}
