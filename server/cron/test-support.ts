// Shared helpers for the cron tests: a seeded PRNG, a random expression
// generator with independently computed expectations, and brute-force
// reference implementations that know nothing of CronSchedule's tables.
import { CRON_FIELDS } from "./fields.js";
import type { CronFieldValues } from "./parse.js";

// One seeded PRNG for every property test in the project.
import { randomInt } from "../pkg/testing/random.js";
export { randomInt, seededRandom } from "../pkg/testing/random.js";

/** A generated expression and the values each section must allow. */
export interface GeneratedExpression {
  expression: string;
  expected: CronFieldValues;
}

/**
 * A random valid-grammar expression, built from the six part shapes, with
 * the expected value sets computed by plain expansion. It may still be
 * rejected as never firing (e.g. day 31 in month 4 only); callers check.
 * `sectionShape` lets a caller pin a section (e.g. "*" for days).
 */
export function randomExpression(
  rng: () => number,
  sectionShape: Partial<Record<number, string>> = {},
): GeneratedExpression {
  const sections: string[] = [];
  const sets: number[][] = [];
  CRON_FIELDS.forEach(({ min, max }, i) => {
    const pinned = sectionShape[i];
    const items: string[] = [];
    const values = new Set<number>();
    if (pinned !== undefined) {
      items.push(pinned);
      for (const v of expandByHand(pinned, min, max)) values.add(v);
    } else {
      const count = randomInt(rng, 1, 3);
      for (let k = 0; k < count; k++) {
        const item = randomPart(rng, min, max);
        items.push(item);
        for (const v of expandByHand(item, min, max)) values.add(v);
      }
    }
    sections.push(items.join(","));
    sets.push([...values].sort((a, b) => a - b));
  });
  // Drop trailing "*" sections at random (down to two) to exercise auto-extension.
  while (sections.length > 2 && sections[sections.length - 1] === "*" && rng() < 0.5) sections.pop();
  const blank = () => (rng() < 0.8 ? " " : rng() < 0.5 ? "   " : "\t");
  const expression = (rng() < 0.2 ? blank() : "") + sections.join(blank()) + (rng() < 0.2 ? blank() : "");
  const [minutes = [], hours = [], days = [], months = []] = sets;
  return { expression, expected: { minutes, hours, days, months } };
}

function randomPart(rng: () => number, min: number, max: number): string {
  const a = randomInt(rng, min, max);
  const b = randomInt(rng, a, max);
  const n = randomInt(rng, 1, max - min);
  // Small steps are more interesting than huge ones, which select one value.
  const smallN = randomInt(rng, 1, Math.min(7, max - min));
  switch (randomInt(rng, 0, 6)) {
    case 0:
      return "*";
    case 1:
    case 2:
      return String(a);
    case 3:
      return `*/${rng() < 0.8 ? smallN : n}`;
    case 4:
      return `${a}/${rng() < 0.8 ? smallN : n}`;
    case 5:
      return `${a}-${b}`;
    default:
      return `${a}-${b}/${rng() < 0.8 ? smallN : n}`;
  }
}

/** Straightforward expansion of one list item, independent of parse.ts. */
function expandByHand(item: string, min: number, max: number): number[] {
  const [range = "", stepText] = item.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  let lo = min;
  let hi = max;
  if (range !== "*") {
    const [a, b] = range.split("-");
    lo = Number(a);
    hi = b !== undefined ? Number(b) : stepText !== undefined ? max : lo;
  }
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

/** Whether some allowed day falls in some allowed month in some year. */
export function canEverFire(v: CronFieldValues): boolean {
  const longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return v.months.some((m) => v.days.some((d) => d <= (longest[m - 1] ?? 0)));
}

/** Wall-clock fields of a wall-ms value, via Date getters (not calendar.ts). */
function fieldsOf(ms: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** Whether the wall minute `wallMs` matches every section. */
export function matchesByHand(v: CronFieldValues, wallMs: number): boolean {
  const f = fieldsOf(wallMs);
  return (
    v.minutes.includes(f.minute) && v.hours.includes(f.hour) && v.days.includes(f.day) && v.months.includes(f.month)
  );
}

const MINUTE = 60_000;

/**
 * Brute-force next UTC occurrence: tests minute after minute, except that a
 * day (or hour) that cannot match is stepped over whole; otherwise schedules
 * such as Feb 29 would need millions of steps per case.
 */
export function bruteForceNextUtc(v: CronFieldValues, fromMs: number): number {
  let t = Math.floor(fromMs / MINUTE) * MINUTE + MINUTE;
  for (;;) {
    const f = fieldsOf(t);
    if (!v.months.includes(f.month) || !v.days.includes(f.day)) {
      t = Date.UTC(f.year, f.month - 1, f.day + 1);
    } else if (!v.hours.includes(f.hour)) {
      t = Date.UTC(f.year, f.month - 1, f.day, f.hour + 1);
    } else if (v.minutes.includes(f.minute)) {
      return t;
    } else {
      t += MINUTE;
    }
  }
}

/**
 * Brute-force next occurrence in a time zone by simulating a wall clock:
 * UTC instants are visited minute by minute from four hours before `fromMs`
 * (covering any earlier pass of a fall-back overlap). A wall minute fires the
 * first time the clock shows it; wall minutes the clock jumps over (spring
 * forward) fire at the instant of the jump. Returns the first firing
 * instant after `fromMs`. Needs a zone whose offsets are whole minutes.
 */
export function bruteForceNextZoned(
  v: CronFieldValues,
  fromMs: number,
  wallOf: (utcMs: number) => number,
  horizonMinutes = 3 * 24 * 60,
): number | undefined {
  const seen = new Set<number>();
  const start = Math.floor(fromMs / MINUTE) * MINUTE - 4 * 60 * MINUTE;
  let prevWall = wallOf(start - MINUTE);
  for (let t = start; t <= fromMs + horizonMinutes * MINUTE; t += MINUTE) {
    const wall = wallOf(t);
    let fires = false;
    const firstShown = wall > prevWall + MINUTE ? prevWall + MINUTE : wall;
    for (let w = firstShown; w <= wall; w += MINUTE) {
      if (!seen.has(w)) {
        seen.add(w);
        if (matchesByHand(v, w)) fires = true;
      }
    }
    if (fires && t > fromMs) return t;
    prevWall = wall;
  }
  return undefined;
}

/** `wallOf` for {@link bruteForceNextZoned}: Intl-based, memoised per minute. */
export function intlWallClock(timeZone: string): (utcMs: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const memo = new Map<number, number>();
  return (utcMs) => {
    let wall = memo.get(utcMs);
    if (wall === undefined) {
      // en-US numeric output: "3/31/2024, 03:00"
      const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/.exec(format.format(utcMs));
      if (!m) throw new Error(`unexpected Intl output for ${utcMs}`);
      const [, mo, d, y, h, mi] = m.map(Number);
      wall = Date.UTC(y ?? 0, (mo ?? 0) - 1, d, h, mi);
      memo.set(utcMs, wall);
    }
    return wall;
  };
}
