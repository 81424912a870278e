/**
 * One subscriber's view of job changes: a bounded buffer read as an async
 * iterator. Kept apart from events.ts because the buffering rules (collapse
 * per job, end on overflow or abort) are the subtle part.
 */
import { ResourceExhaustedError } from "../../lib/errors.js";
import type { JobFilter } from "./events.js";
import type { Job } from "./job.js";

type Waiter = { resolve: (r: IteratorResult<Job>) => void; reject: (err: unknown) => void };

/** An open subscription; created by JobEvents.subscribe. */
export class JobSubscription implements AsyncIterableIterator<Job> {
  // Map keeps first-change order while letting a newer state replace an unread older one.
  private readonly buffer = new Map<number, Job>();
  private waiter: Waiter | undefined;
  private closed = false;
  private failure: Error | undefined;

  constructor(
    private readonly filter: JobFilter,
    private readonly maxBuffered: number,
    private readonly detach: () => void,
  ) {}

  /** Ends the subscription when `signal` aborts. */
  endOn(signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) return void this.close();
    signal.addEventListener("abort", () => this.close(), { once: true });
  }

  /** Takes a change if it matches the filter. */
  offer(job: Job): void {
    if (this.closed || !this.matches(job)) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      return resolve({ value: job, done: false });
    }
    this.buffer.set(job.id, job);
    if (this.buffer.size > this.maxBuffered) {
      this.buffer.clear();
      this.failure = new ResourceExhaustedError(
        `job watcher fell more than ${this.maxBuffered} jobs behind; reconnect and list the jobs again`,
      );
      this.close();
    }
  }

  next(): Promise<IteratorResult<Job>> {
    const first = this.buffer.entries().next();
    if (!first.done) {
      this.buffer.delete(first.value[0]);
      return Promise.resolve({ value: first.value[1], done: false });
    }
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      return Promise.reject(err);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Job>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Job> {
    return this;
  }

  private matches(job: Job): boolean {
    const f = this.filter;
    return (
      (f.targetId === undefined || f.targetId === job.targetId) &&
      (f.jobId === undefined || f.jobId === job.id) &&
      (f.arch === undefined || f.arch === job.arch)
    );
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach();
    const waiter = this.waiter;
    this.waiter = undefined;
    if (!waiter) return;
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      waiter.reject(err);
    } else waiter.resolve({ value: undefined, done: true });
  }
}
