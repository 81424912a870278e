import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../lib/errors.js";
import { CronParseError, InvalidTimeZoneError } from "./errors.js";
import { nextOccurrence, nextOccurrences } from "./next.js";
import { CronSchedule, MAX_OCCURRENCES } from "./schedule.js";

const utc = (iso: string): Date => new Date(`${iso}Z`);
const iso = (d: Date): string => d.toISOString().slice(0, 16);

describe("nextOccurrence in UTC (Vieter test_next_simple)", () => {
  it.each([
    ["0    3", "2002-01-01T03:00", "2002-01-02T03:00"],
    ["0 3", "2002-01-01T04:00", "2002-01-02T03:00"],
    ["0 3-7/4,7-19", "2002-01-01T04:00", "2002-01-01T07:00"],
    // Vieter's test says 2002-11-31, which Date rolls over to Dec 1; the
    // intended case is the last day of November.
    ["0 3", "2002-11-30T04:00", "2002-12-01T03:00"],
    ["0 3", "2002-12-31T04:00", "2003-01-01T03:00"],
    // Commented out in 0.6.0, asserted before: same-day occurrence later on.
    ["0 3", "2002-01-01T00:00", "2002-01-01T03:00"],
  ])("%j from %s gives %s", (expression, from, expected) => {
    expect(iso(nextOccurrence(expression, utc(from)))).toBe(expected);
  });

  it("is strictly after the reference minute, ignoring seconds", () => {
    expect(iso(nextOccurrence("0 3", utc("2002-01-01T03:00:59.999")))).toBe("2002-01-02T03:00");
    expect(iso(nextOccurrence("* *", utc("2002-01-01T03:00:59.999")))).toBe("2002-01-01T03:01");
    expect(iso(nextOccurrence("* *", utc("2002-01-01T03:00:00")))).toBe("2002-01-01T03:01");
    expect(nextOccurrence("* *", utc("2002-01-01T03:00:30")).getUTCSeconds()).toBe(0);
  });

  it("skips months that lack the day", () => {
    expect(iso(nextOccurrence("0 0 31", utc("2002-02-10T00:00")))).toBe("2002-03-31T00:00");
    expect(iso(nextOccurrence("0 0 31", utc("2002-03-31T00:00")))).toBe("2002-05-31T00:00");
    expect(iso(nextOccurrence("0 0 30", utc("2002-01-30T12:00")))).toBe("2002-03-30T00:00");
  });

  it("finds Feb 29 in the next leap year, across a non-leap century", () => {
    expect(iso(nextOccurrence("0 0 29 2", utc("2002-01-01T00:00")))).toBe("2004-02-29T00:00");
    expect(iso(nextOccurrence("0 0 29 2", utc("2096-02-29T00:00")))).toBe("2104-02-29T00:00");
    expect(iso(nextOccurrence("0 0 29", utc("2023-02-01T00:00")))).toBe("2023-03-29T00:00");
    expect(iso(nextOccurrence("0 0 29", utc("2024-02-01T00:00")))).toBe("2024-02-29T00:00");
  });

  it("carries through minute, hour, day, month and year at once", () => {
    expect(iso(nextOccurrence("59 23 31 12", utc("2002-12-31T23:59")))).toBe("2003-12-31T23:59");
    expect(iso(nextOccurrence("0 0 1 1", utc("2002-12-31T23:59")))).toBe("2003-01-01T00:00");
    expect(iso(nextOccurrence("*/15 9-17 1,15 */3", utc("2002-04-15T17:45")))).toBe("2002-07-01T09:00");
  });

  it("lists the next occurrences ascending", () => {
    expect(nextOccurrences("0 0 */7", utc("2002-01-20T00:00"), 5).map(iso)).toEqual([
      "2002-01-22T00:00",
      "2002-01-29T00:00",
      "2002-02-01T00:00",
      "2002-02-08T00:00",
      "2002-02-15T00:00",
    ]);
    expect(nextOccurrences("0 3", utc("2002-01-01T00:00"), 0)).toEqual([]);
  });

  it("accepts a parsed schedule as well as a string", () => {
    const schedule = CronSchedule.parse("0 3");
    expect(nextOccurrence(schedule, utc("2002-01-01T04:00"))).toEqual(utc("2002-01-02T03:00"));
    expect(nextOccurrences(schedule, utc("2002-01-01T04:00"), 2)).toEqual([
      utc("2002-01-02T03:00"),
      utc("2002-01-03T03:00"),
    ]);
  });
});

describe("nextOccurrence argument checks", () => {
  it("throws CronParseError for an invalid expression", () => {
    expect(() => nextOccurrence("0 0 30 2", utc("2002-01-01T00:00"))).toThrow(CronParseError);
  });

  it("throws InvalidTimeZoneError for an unknown zone", () => {
    expect(() => nextOccurrence("0 3", utc("2002-01-01T00:00"), "Mars/Olympus_Mons")).toThrow(InvalidTimeZoneError);
  });

  it.each([
    ["an invalid Date", new Date(NaN)],
    ["a date before 1900", utc("1899-12-31T23:59")],
    ["a date after 9999", utc("+010000-01-01T00:00")],
    ["a number", 0 as unknown as Date],
    ["a string", "2002-01-01" as unknown as Date],
    ["null", null as unknown as Date],
  ])("rejects %s as reference", (_label, from) => {
    expect(() => nextOccurrence("0 3", from)).toThrow(RangeError);
  });

  it("still answers at the edges of the supported range", () => {
    expect(iso(nextOccurrence("0 0", utc("1900-01-01T00:00")))).toBe("1900-01-02T00:00");
    expect(nextOccurrence("0 0 29 2", utc("9999-12-31T23:59")).toISOString()).toBe("+010000-02-29T00:00:00.000Z");
  });

  it.each([-1, 1.5, NaN, Infinity, MAX_OCCURRENCES + 1])("rejects count %s", (count) => {
    expect(() => nextOccurrences("0 3", utc("2002-01-01T00:00"), count)).toThrow(InvalidArgumentError);
    expect(() => nextOccurrences("0 3", utc("2002-01-01T00:00"), count)).toThrow(/^count: must be an integer/);
  });
});

describe("CronSchedule", () => {
  it("exposes the parsed values and the expression", () => {
    const schedule = CronSchedule.parse("0 3-7/4,7-19");
    expect(schedule.expression).toBe("0 3-7/4,7-19");
    expect(schedule.minutes).toEqual([0]);
    expect(schedule.hours).toEqual([3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(schedule.days).toHaveLength(31);
    expect(schedule.months).toHaveLength(12);
  });

  it("renders a normalised expression that parses to the same schedule", () => {
    const schedule = CronSchedule.parse("*/20 3-7/4,7 */10 1");
    expect(schedule.toString()).toBe("0,20,40 3,7 1,11,21,31 1");
    expect(CronSchedule.parse(schedule.toString()).toString()).toBe(schedule.toString());
  });

  it("matches wall-clock minutes", () => {
    const schedule = CronSchedule.parse("30 2 29 2");
    expect(schedule.matches({ year: 2024, month: 2, day: 29, hour: 2, minute: 30 })).toBe(true);
    expect(schedule.matches({ year: 2024, month: 2, day: 29, hour: 2, minute: 31 })).toBe(false);
    expect(schedule.matches({ year: 2024, month: 3, day: 29, hour: 2, minute: 30 })).toBe(false);
  });

  it("evaluates 20,000 next occurrences in one pass", () => {
    // No timing assertion (machines vary); the log shows the cost. Distinct
    // reference times defeat the per-schedule memo, so this is the slow case.
    const schedules = ["0 3", "0 3-7/4,7-19", "*/15 * 1,15", "0 0 29 2"].map((e) => CronSchedule.parse(e));
    const now = utc("2025-06-15T12:34:56").getTime();
    for (const timeZone of ["UTC", "Europe/Berlin"]) {
      let ok = 0;
      const started = performance.now();
      for (let i = 0; i < 20_000; i++) {
        const from = new Date(now + i * 7 * 60_000);
        if ((schedules[i % schedules.length] as CronSchedule).next(from, timeZone) > from) ok++;
      }
      const elapsed = performance.now() - started;
      console.log(`20,000 next occurrences in ${timeZone}: ${elapsed.toFixed(1)} ms`);
      expect(ok).toBe(20_000);
    }
  });

  it("returns a fresh Date for a memoised answer", () => {
    const schedule = CronSchedule.parse("0 3");
    const from = utc("2002-01-01T04:00");
    const first = schedule.next(from);
    first.setTime(0);
    expect(schedule.next(from)).toEqual(utc("2002-01-02T03:00"));
    // 04:00Z is 23:00 the day before in New York.
    expect(schedule.next(from, "America/New_York")).toEqual(utc("2002-01-01T08:00"));
  });

  it("shares one instance per expression", () => {
    expect(CronSchedule.parse("0 3")).toBe(CronSchedule.parse("0 3"));
  });
});
