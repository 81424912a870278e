/**
 * An open log: appends are buffered in memory and written to the file in
 * batches (at `flushBytes` or after `flushIntervalMs`), and handed at once to
 * every live follower. The writer never waits for a follower; the agent only
 * waits for the disk, and only when more than `highWaterBytes` are unwritten.
 */
import type { FileHandle } from "node:fs/promises";
import { FailedPreconditionError } from "../../lib/errors.js";
import { LiveFollower } from "./live-follower.js";
import type { LogsOptions } from "./options.js";

const RESOLVED = Promise.resolve();

/** The writer of one open log. */
export class LogWriter {
  private readonly followers = new Set<LiveFollower>();
  // Chunks accepted but not yet known to be in the file, oldest first.
  private unflushed: Buffer[] = [];
  private unflushedBytes = 0;
  private flushedBytes: number;
  private appendedBytes: number;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private truncated = false;
  private isClosed = false;

  constructor(
    readonly logId: number,
    readonly jobId: number,
    private readonly file: FileHandle,
    initialSize: number,
    private readonly options: LogsOptions,
  ) {
    this.flushedBytes = initialSize;
    this.appendedBytes = initialSize;
  }

  /** Bytes accepted so far (the log's size). */
  get size(): number {
    return this.appendedBytes;
  }

  /** Bytes known to be in the file. */
  get flushed(): number {
    return this.flushedBytes;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Number of live followers (file-mode followers are not counted). */
  get followerCount(): number {
    return this.followers.size;
  }

  /**
   * Accepts `bytes` (copied). Resolves at once unless too much is unwritten,
   * then when the disk caught up: that is the back-pressure an agent feels.
   */
  append(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new FailedPreconditionError(`log of job ${this.jobId} is closed`));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (bytes.length === 0 || this.truncated) return RESOLVED;
    let chunk = Buffer.from(bytes);
    const room = this.options.maxLogBytes - this.appendedBytes;
    if (chunk.length > room) {
      // A runaway build must not fill the disk; say so in the log itself.
      this.truncated = true;
      const note = `\n[vieter] log truncated: it reached ${this.options.maxLogBytes} bytes; later output was dropped\n`;
      chunk = Buffer.concat([chunk.subarray(0, Math.max(0, room)), Buffer.from(note)]);
    }
    this.unflushed.push(chunk);
    this.unflushedBytes += chunk.length;
    this.appendedBytes += chunk.length;
    for (const f of this.followers) f.push(chunk);
    if (this.unflushedBytes >= this.options.highWaterBytes) return this.flush();
    if (this.unflushedBytes >= this.options.flushBytes) this.pump();
    else this.timer ??= setTimeout(() => ((this.timer = undefined), this.pump()), this.options.flushIntervalMs).unref();
    return RESOLVED;
  }

  /**
   * A live follower that receives every byte from `offset` on. `offset` must
   * not be behind the file (`offset >= flushed`): the caller reads the file
   * first and attaches without awaiting in between, so no byte is missed.
   */
  attach(offset: number): LiveFollower {
    if (offset < this.flushedBytes) throw new Error(`attach at ${offset} is behind the file (${this.flushedBytes})`);
    const follower = new LiveFollower(this.options.followerBufferBytes, (f) => this.followers.delete(f));
    let pos = this.flushedBytes;
    for (const chunk of this.unflushed) {
      if (follower.overflowed) break;
      if (pos >= offset) follower.push(chunk);
      else if (pos + chunk.length > offset) follower.push(chunk.subarray(offset - pos));
      pos += chunk.length;
    }
    if (this.isClosed) follower.end();
    else if (!follower.overflowed) this.followers.add(follower);
    return follower;
  }

  /** Writes everything accepted so far to the file. */
  flush(): Promise<void> {
    return this.waitFlushed(this.appendedBytes);
  }

  /** Resolves once the file holds at least `bytes` bytes (or everything, if less was accepted). */
  async waitFlushed(bytes: number): Promise<void> {
    while (this.flushedBytes < Math.min(bytes, this.appendedBytes)) {
      if (this.failure !== undefined) throw this.failure;
      this.pump();
      await this.writing;
    }
  }

  /** Refuses further appends, writes the rest, closes the file and ends the followers. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      await this.flush();
    } finally {
      await this.file.close();
      for (const f of this.followers) f.end();
      this.followers.clear();
    }
  }

  // Starts writing what is unwritten unless a write is under way; keeps going
  // while a full batch is waiting, and leaves a small rest to the timer.
  private pump(): void {
    if (this.writing || this.unflushedBytes === 0 || this.failure !== undefined) return;
    this.writing = this.writeBatch().then(
      () => {
        this.writing = undefined;
        if (this.unflushedBytes >= this.options.flushBytes || this.isClosed) this.pump();
        else if (this.unflushedBytes > 0)
          this.timer ??= setTimeout(
            () => ((this.timer = undefined), this.pump()),
            this.options.flushIntervalMs,
          ).unref();
      },
      (err: unknown) => {
        this.writing = undefined;
        this.failure ??= err;
      },
    );
  }

  // One write of everything unwritten.
  private async writeBatch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const count = this.unflushed.length;
    const data = count === 1 ? this.unflushed[0]! : Buffer.concat(this.unflushed.slice(0, count));
    for (let done = 0; done < data.length;) {
      const { bytesWritten } = await this.file.write(data, done, data.length - done, null);
      done += bytesWritten;
    }
    // Chunks stay in `unflushed` until written, so `attach` can serve them meanwhile.
    this.unflushed.splice(0, count);
    this.unflushedBytes -= data.length;
    this.flushedBytes += data.length;
  }
}
