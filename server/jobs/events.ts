/**
 * In-process notifications of job changes, for WatchJobs and (later) agents
 * waiting for work. Every operation that changes a job publishes the job
 * after its transaction commits.
 */
import type { Job } from "./job.js";
import { JobSubscription } from "./subscription.js";

/** Which changes a subscriber wants; unset fields match everything. */
export interface JobFilter {
  readonly targetId?: number | undefined;
  readonly jobId?: number | undefined;
  readonly arch?: string | undefined;
}

/** Options of one subscription. */
export interface SubscribeOptions {
  /** Ends the subscription (without error) when aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Unread distinct jobs a subscriber may fall behind by; default from the notifier. */
  readonly maxBuffered?: number | undefined;
}

/** Publishes job changes to subscribers. */
export interface JobEvents {
  /** Delivers the jobs' new state to every matching subscriber; never blocks. */
  publish(jobs: Job | readonly Job[]): void;
  /**
   * The changes matching `filter` from now on, as an async iterable. Unread
   * changes of the same job collapse into its latest state; a subscriber
   * more than `maxBuffered` distinct jobs behind is ended with a
   * ResourceExhaustedError (it should reconnect and re-list) so a stalled
   * reader cannot grow the server's memory.
   */
  subscribe(filter: JobFilter, options?: SubscribeOptions): AsyncIterableIterator<Job>;
  /** Number of open subscriptions (for tests and metrics). */
  readonly subscriberCount: number;
}

/** Default of {@link SubscribeOptions.maxBuffered}. */
export const DEFAULT_MAX_BUFFERED = 10_000;

/** A notifier with no subscribers yet. */
export function createJobEvents(defaults: { maxBuffered?: number } = {}): JobEvents {
  const subscribers = new Set<JobSubscription>();
  return {
    publish(jobs) {
      const list = Array.isArray(jobs) ? (jobs as readonly Job[]) : [jobs as Job];
      for (const sub of subscribers) for (const job of list) sub.offer(job);
    },
    subscribe(filter, options = {}) {
      const sub = new JobSubscription(filter, options.maxBuffered ?? defaults.maxBuffered ?? DEFAULT_MAX_BUFFERED, () =>
        subscribers.delete(sub),
      );
      subscribers.add(sub);
      sub.endOn(options.signal);
      return sub;
    },
    get subscriberCount() {
      return subscribers.size;
    },
  };
}
