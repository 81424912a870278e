/**
 * Build output for the log bench: numbered lines of ~100 bytes that carry
 * the time they were printed (`performance.now()`, so printer and follower
 * must share the process), printed at a given rate, and a probe that reads
 * them back and records print → receipt latency.
 */

const LINE_BYTES = 100;
const LINES_PER_WRITE = 256; // ~25 KiB, about what one read of a busy container's pipe returns

/** What a print run did. */
export interface Printed {
  /** `performance.now()` when the first line was printed. */
  readonly startedAt: number;
  readonly bytes: number;
}

/**
 * Prints lines `from` … `from + count − 1` into `sink`, `LINES_PER_WRITE` at a
 * time, at `ratePerSecond` (Infinity: as fast as the sink takes them, giving
 * the event loop a turn between writes as network input would).
 */
export async function printLines(
  from: number,
  count: number,
  ratePerSecond: number,
  sink: (chunk: Buffer) => unknown,
): Promise<Printed> {
  const startedAt = performance.now();
  let bytes = 0;
  for (let i = from; i < from + count; i += LINES_PER_WRITE) {
    if (Number.isFinite(ratePerSecond)) {
      const due = startedAt + ((i - from) / ratePerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const n = Math.min(LINES_PER_WRITE, from + count - i);
    const now = performance.now().toFixed(3);
    let text = "";
    for (let j = i; j < i + n; j++) {
      const head = `${now} ${String(j).padStart(9, "0")} cc -O2 -c src/module_${j % 997}.c -o build/module_${j % 997}.o `;
      text += `${head.padEnd(LINE_BYTES - 1, ".")}\n`;
    }
    const chunk = Buffer.from(text, "latin1");
    bytes += chunk.length;
    await sink(chunk);
    if (!Number.isFinite(ratePerSecond)) await new Promise((r) => setImmediate(r));
  }
  return { startedAt, bytes };
}

/** Reads lines back; keeps the latency of every 10th line numbered `from` or higher. */
export class LatencyProbe {
  readonly samples: number[] = [];
  /** Number of the last complete line read, −1 before the first. */
  lastLine = -1;
  private rest = "";

  constructor(private readonly from: number) {}

  /** Takes the next bytes of the followed log. */
  take(chunk: Uint8Array): void {
    const now = performance.now();
    const lines = (this.rest + Buffer.from(chunk).toString("latin1")).split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) {
      const space = line.indexOf(" ");
      const number = Number(line.slice(space + 1, space + 10));
      this.lastLine = number;
      if (number >= this.from && number % 10 === 0) this.samples.push(now - Number(line.slice(0, space)));
    }
  }
}
