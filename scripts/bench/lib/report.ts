/**
 * What every bench shares for its output: percentiles, a plain table for
 * people, one JSON line for tools, and the `--quick` flag.
 */
import { cpus, loadavg } from "node:os";

/** One-minute load average when the bench started: other work on the machine skews every figure. */
const LOAD_AT_START = loadavg()[0]!;

/** Whether `--quick` (smaller sizes, for a smoke run) was given. */
export const QUICK = process.argv.includes("--quick");

/** The `p`-th percentile (0–100) of `samples`, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Rounds to `digits` decimals, for printing and JSON. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "ok" or "MISSED", for a target line. */
export function verdict(met: boolean): string {
  return met ? "ok" : "MISSED";
}

/** Prints rows as an aligned table (first row is the header). */
export function printTable(title: string, rows: readonly (readonly (string | number)[])[]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  process.stdout.write(`\n${title}\n${line(cells[0]!)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const r of cells.slice(1)) process.stdout.write(`${line(r)}\n`);
}

/** Prints the one JSON line with a bench's figures, tagged with the machine. */
export function printJson(bench: string, figures: Record<string, unknown>): void {
  const load = { start: round(LOAD_AT_START), end: round(loadavg()[0]!) };
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverage: load,
  };
  process.stdout.write(
    `\nmachine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ` +
      `1-min load average ${load.start} at start, ${load.end} at end\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ bench, date: new Date().toISOString(), quick: QUICK, machine, ...figures })}\n`,
  );
}

/** Writes a progress note to stderr (the table and JSON stay on stdout). */
export function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
