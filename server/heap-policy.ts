/**
 * How far V8 lets the heap grow between full collections, for the server
 * process. By default V8 sets the next limit at up to 4× the live heap when
 * collecting is cheap. The server's live heap is small (25–50 MB with 10,000
 * targets), but every claim and publish turns over hundreds of KB through
 * knex, so the default let resident memory reach ~200–215 MB of mostly
 * garbage in the scheduler bench; growing by 2× keeps it near 150–165 MB,
 * with full collections of a small heap taking a few milliseconds each.
 * Applied at start (V8 reads this flag whenever it sets a new limit); a
 * `--heap-growing-percent` given to node itself wins.
 */
import { setFlagsFromString } from "node:v8";

/** The growth V8 may allow after a full collection: 1 + 100/100 = 2× the live heap. */
export const HEAP_GROWING_PERCENT = 100;

/** Sets the server's heap growth unless node was started with its own. */
export function applyHeapPolicy(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? "",
): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent\b/.test(a));
  if (given) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
