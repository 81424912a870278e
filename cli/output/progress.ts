/**
 * Upload progress on stderr: a redrawn bar on a terminal, plain lines at
 * 25 % steps otherwise (logs and CI keep a readable record), nothing on stdout.
 */
import { humanSize } from "./format.js";

/** Progress of one transfer. */
export interface Progress {
  /** `sent` bytes so far. */
  update(sent: number): void;
  /** Clears the bar (terminal) once the transfer is over, successful or not. */
  end(): void;
}

/** Where and how to draw. */
export interface ProgressOptions {
  readonly stream: { write(text: string): unknown };
  readonly tty: boolean;
  readonly columns?: number | undefined;
  /** Clock for throttling redraws; tests pass their own. */
  readonly now?: () => number;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** Starts reporting the transfer of `total` bytes named `label`. */
export function startProgress(label: string, total: number, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const percent = (sent: number): number => (total === 0 ? 100 : Math.floor((sent * 100) / total));
  if (!options.tty) {
    let step = 0;
    return {
      update(sent) {
        const reached = Math.floor(percent(sent) / 25);
        if (reached <= step) return;
        step = reached;
        options.stream.write(`${label}: ${step * 25}% (${humanSize(sent)} of ${humanSize(total)})\n`);
      },
      end() {},
    };
  }
  let last = -Infinity;
  let drawn = false;
  return {
    update(sent) {
      const t = now();
      if (sent < total && t - last < REDRAW_MS) return;
      last = t;
      const p = percent(sent);
      const filled = Math.round((p / 100) * BAR_WIDTH);
      const tail = ` [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${String(p).padStart(3)}% ${humanSize(sent)}/${humanSize(total)}`;
      // A pseudo-terminal may report 0 columns; assume the classic 80 then.
      const room = Math.max(8, (options.columns || 80) - tail.length - 1);
      // Keep the start: the package name is what identifies the file.
      const name = label.length > room ? `${label.slice(0, room - 1)}…` : label;
      options.stream.write(`\r\x1b[K${name}${tail}`);
      drawn = true;
    },
    end() {
      if (drawn) options.stream.write("\r\x1b[K");
    },
  };
}
