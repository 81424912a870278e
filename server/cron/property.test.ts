import { describe, expect, it } from "vitest";
import { CronParseError } from "./errors.js";
import { CRON_FIELDS } from "./fields.js";
import { parseCronFields } from "./parse.js";
import { CronSchedule } from "./schedule.js";
import {
  bruteForceNextUtc,
  bruteForceNextZoned,
  canEverFire,
  intlWallClock,
  matchesByHand,
  randomExpression,
  randomInt,
  seededRandom,
} from "./test-support.js";

const MINUTE = 60_000;
const label = (expression: string, from: number, timeZone = "UTC") =>
  `${JSON.stringify(expression)} from ${new Date(from).toISOString()} in ${timeZone}`;

describe("property: parsing", () => {
  it("expands random valid-grammar expressions like a by-hand expansion", () => {
    const rng = seededRandom(1);
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const { expression, expected } = randomExpression(rng);
      if (canEverFire(expected)) {
        expect(parseCronFields(expression), expression).toEqual(expected);
      } else {
        rejected++;
        expect(() => parseCronFields(expression), expression).toThrow(/never occurs/);
      }
    }
    // The generator must mostly produce schedules that can fire.
    expect(rejected).toBeLessThan(300);
  });

  it("either parses random junk into in-range values or throws CronParseError", () => {
    const rng = seededRandom(2);
    const alphabet = "0123456789*,/- \t0123456789*-/x~٣";
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const length = randomInt(rng, 0, 16);
      let expression = "";
      for (let k = 0; k < length; k++) expression += alphabet[randomInt(rng, 0, alphabet.length - 1)];
      try {
        const values = parseCronFields(expression);
        accepted++;
        [values.minutes, values.hours, values.days, values.months].forEach((v, f) => {
          const field = CRON_FIELDS[f];
          expect(v.length, expression).toBeGreaterThan(0);
          expect(
            v.every((x) => x >= (field?.min ?? NaN) && x <= (field?.max ?? NaN)),
            expression,
          ).toBe(true);
        });
      } catch (e) {
        expect(e, expression).toBeInstanceOf(CronParseError);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe("property: next occurrence in UTC", () => {
  it("matches a brute-force minute scan for random expressions and references", () => {
    const rng = seededRandom(3);
    let checked = 0;
    while (checked < 3000) {
      const { expression, expected } = randomExpression(rng);
      if (!canEverFire(expected)) continue;
      const from = randomInt(rng, Date.UTC(1990, 0, 1), Date.UTC(2060, 0, 1));
      const next = CronSchedule.parse(expression).next(new Date(from)).getTime();
      const why = label(expression, from);
      expect(matchesByHand(expected, next), why).toBe(true);
      expect(next, why).toBeGreaterThanOrEqual(Math.floor(from / MINUTE) * MINUTE + MINUTE);
      // The first match of the scan: no minute in between matches.
      expect(new Date(next).toISOString(), why).toBe(new Date(bruteForceNextUtc(expected, from)).toISOString());
      checked++;
    }
  });

  it("chains occurrences without gaps or repeats", () => {
    const rng = seededRandom(4);
    let checked = 0;
    while (checked < 300) {
      const { expression, expected } = randomExpression(rng);
      if (!canEverFire(expected)) continue;
      let from = randomInt(rng, Date.UTC(1990, 0, 1), Date.UTC(2060, 0, 1));
      for (const occurrence of CronSchedule.parse(expression).nextN(new Date(from), 5)) {
        expect(occurrence.getTime(), label(expression, from)).toBe(bruteForceNextUtc(expected, from));
        from = occurrence.getTime();
      }
      checked++;
    }
  });
});

describe("property: next occurrence around DST transitions", () => {
  const transitions: [string, string][] = [
    ["Europe/Berlin", "2024-03-31T01:00:00Z"],
    ["Europe/Berlin", "2024-10-27T01:00:00Z"],
    ["America/New_York", "2024-03-10T07:00:00Z"],
    ["America/New_York", "2024-11-03T06:00:00Z"],
    ["Australia/Lord_Howe", "2024-10-05T15:30:00Z"],
    ["Australia/Lord_Howe", "2025-04-05T15:00:00Z"],
    ["Pacific/Apia", "2011-12-30T10:00:00Z"], // skipped a whole calendar day
    ["Asia/Kathmandu", "1985-12-31T18:30:00Z"], // 15-minute gap
  ];

  it.each(transitions)("matches a simulated wall clock in %s near %s", (timeZone, transition) => {
    const rng = seededRandom(Date.parse(transition) / MINUTE);
    const wallOf = intlWallClock(timeZone);
    const center = Date.parse(transition);
    for (let i = 0; i < 80; i++) {
      // Dense hours around the transition keep brute-force scans short while
      // still hitting the repeated and skipped local hours often.
      const { expression, expected } = randomExpression(rng, {
        1: rng() < 0.5 ? `${randomInt(rng, 0, 3)}-${randomInt(rng, 3, 23)}` : undefined,
        2: "*",
        3: "*",
      });
      const from = center + randomInt(rng, -6 * 60, 6 * 60) * MINUTE + randomInt(rng, 0, 59_999);
      const actual = CronSchedule.parse(expression).next(new Date(from), timeZone).getTime();
      const simulated = bruteForceNextZoned(expected, from, wallOf);
      expect(simulated, label(expression, from, timeZone)).toBeDefined();
      expect(new Date(actual).toISOString(), label(expression, from, timeZone)).toBe(
        new Date(simulated ?? NaN).toISOString(),
      );
    }
  });
});
