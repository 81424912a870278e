/** Tunables of the log store; the defaults suit production, tests shrink them. */
export interface LogsOptions {
  /** Bytes a live follower may fall behind before it is moved back to reading the file. */
  readonly followerBufferBytes: number;
  /** Unwritten bytes that start a write to the file. */
  readonly flushBytes: number;
  /** Unwritten bytes at which appends wait for the disk. */
  readonly highWaterBytes: number;
  /** Longest time an accepted byte stays unwritten. */
  readonly flushIntervalMs: number;
  /** Largest log; output beyond it is dropped with a note in the log. */
  readonly maxLogBytes: number;
}

/** The defaults. */
export const DEFAULT_LOGS_OPTIONS: LogsOptions = {
  followerBufferBytes: 1 << 20,
  flushBytes: 256 << 10,
  highWaterBytes: 8 << 20,
  flushIntervalMs: 100,
  maxLogBytes: 1 << 30,
};
