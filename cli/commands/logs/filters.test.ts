import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { exitCode, localDateTime, localDay, timeRange } from "./filters.js";

describe("logs list filters", () => {
  it("collects repeated --code values into includes and !-excludes", () => {
    let codes = exitCode("1", undefined);
    codes = exitCode("!0", codes);
    codes = exitCode(" !2 ", codes);
    codes = exitCode("-1", codes);
    expect(codes).toEqual({ include: [1, -1], exclude: [0, 2] });
    for (const bad of ["", "!", "x", "1,2", "!!1", "1.5", "99999999999"]) {
      expect(() => exitCode(bad, undefined), bad).toThrow("must be an exit code");
    }
  });

  it("reads dates and times as local time and refuses impossible ones", () => {
    expect(localDateTime("2026-11-24")).toEqual(new Date(2026, 10, 24));
    expect(localDateTime("2026-11-24 08:05")).toEqual(new Date(2026, 10, 24, 8, 5));
    expect(localDateTime("2026-11-24T08:05:09")).toEqual(new Date(2026, 10, 24, 8, 5, 9));
    for (const bad of ["2026-02-30", "2026-13-01", "2026-11-24 24:00", "24-11-2026", "yesterday"]) {
      expect(() => localDateTime(bad), bad).toThrow("must be a local date and time");
    }
    expect(() => localDay("2026-11-24 08:00")).toThrow("must be a date: YYYY-MM-DD");
  });

  it("turns --day and --today into strict bounds around the whole local day", () => {
    const day = new Date(2026, 10, 24);
    expect(timeRange({ day }, new Date())).toEqual({
      after: new Date(day.getTime() - 1),
      before: new Date(2026, 10, 25),
    });
    expect(timeRange({ today: true }, new Date(2026, 11, 31, 23, 59))).toEqual({
      after: new Date(new Date(2026, 11, 31).getTime() - 1),
      before: new Date(2027, 0, 1),
    });
    const before = new Date(2026, 0, 2);
    expect(timeRange({ before }, new Date())).toEqual({ before });
    expect(() => timeRange({ day, today: true }, new Date())).toThrow(UsageError);
    expect(() => timeRange({ today: true, after: before }, new Date())).toThrow("--today sets the time range");
  });
});
