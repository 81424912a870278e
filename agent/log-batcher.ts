/**
 * Batches build output for the agent protocol: a chunk goes out when 1 MiB
 * has gathered or 1 s after the first unsent byte, whichever comes first, so
 * fast builds send few large messages and slow ones still show up live.
 */
export class LogBatcher {
  private parts: Uint8Array[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flushTo: (data: Uint8Array) => void,
    private readonly maxBytes = 1024 * 1024,
    private readonly maxDelayMs = 1000,
  ) {}

  /** Adds output; may flush at once. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.maxBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Sends whatever is gathered. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    const data = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.flushTo(data);
  }
}
