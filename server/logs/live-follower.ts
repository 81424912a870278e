/**
 * A follower attached to an open log: the writer pushes every new chunk into
 * its queue. The queue is bounded: a follower that falls more than `limit`
 * bytes behind drops its queue and detaches (`overflowed`), and follow.ts
 * resumes it from the file at the byte it had reached. So a slow reader
 * costs the writer and the other followers nothing, and loses nothing.
 */

/** One follower's queue of live chunks. */
export class LiveFollower {
  private queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private wake: (() => void) | undefined;
  private isOverflowed = false;
  private isEnded = false;

  constructor(
    private readonly limit: number,
    private readonly onDetach: (f: LiveFollower) => void,
  ) {}

  /** True once the follower fell too far behind; its queue is gone. */
  get overflowed(): boolean {
    return this.isOverflowed;
  }

  /** True once the log was closed; nothing is pushed after that. */
  get ended(): boolean {
    return this.isEnded;
  }

  /** Bytes waiting to be taken. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Called by the writer for each new chunk, in order. Never blocks. */
  push(chunk: Buffer): void {
    if (this.isOverflowed || this.isEnded) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued > this.limit) {
      this.isOverflowed = true;
      this.queue = [];
      this.head = 0;
      this.queued = 0;
      this.detach();
    }
    this.signal();
  }

  /** Called by the writer when the log closes. */
  end(): void {
    this.isEnded = true;
    this.signal();
  }

  /** Takes up to `max` queued bytes as one buffer (small chunks coalesced), or undefined if none. */
  take(max: number): Buffer | undefined {
    if (this.head === this.queue.length) return undefined;
    const parts: Buffer[] = [];
    let bytes = 0;
    while (this.head < this.queue.length && bytes < max) {
      const chunk = this.queue[this.head]!;
      const room = max - bytes;
      if (chunk.length <= room) {
        parts.push(chunk);
        bytes += chunk.length;
        this.queue[this.head++] = EMPTY;
      } else {
        parts.push(chunk.subarray(0, room));
        this.queue[this.head] = chunk.subarray(room);
        bytes += room;
      }
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
    this.queued -= bytes;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, bytes);
  }

  /** Resolves true when there is something to take, the log ended or the follower overflowed; false on abort. */
  wait(signal?: AbortSignal): Promise<boolean> {
    if (this.head < this.queue.length || this.isEnded || this.isOverflowed) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.wake = undefined;
        resolve(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      };
    });
  }

  /** Stops receiving chunks (idempotent). */
  detach(): void {
    this.onDetach(this);
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

const EMPTY = Buffer.alloc(0);
