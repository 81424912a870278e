import { describe, expect, it } from "vitest";
import { InvalidTimeZoneError } from "./errors.js";
import { nextOccurrence, nextOccurrences } from "./next.js";
import { resolveTimeZone, TimeZone } from "./time-zone.js";

const at = (iso: string): Date => new Date(iso);
const isoList = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe("resolveTimeZone", () => {
  it.each([
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["Etc/UTC", "UTC"],
    ["GMT", "UTC"],
    ["Europe/Berlin", "Europe/Berlin"],
    ["europe/berlin", "Europe/Berlin"],
    ["US/Eastern", "America/New_York"],
    ["Etc/GMT+5", "Etc/GMT+5"],
  ])("accepts %j as %j", (name, canonical) => {
    expect(resolveTimeZone(name)).toBe(canonical);
  });

  it.each([
    "",
    " ",
    "Mars/Olympus_Mons",
    "Europe/Berlin ",
    "+01:00",
    "-0500",
    "Z",
    "Europe/Berlin\u0000",
    "../../etc/passwd",
    "x".repeat(10_000),
  ])("rejects %j", (name) => {
    expect(() => resolveTimeZone(name)).toThrow(InvalidTimeZoneError);
  });

  it("rejects non-strings", () => {
    expect(() => resolveTimeZone(undefined as unknown as string)).toThrow(InvalidTimeZoneError);
    expect(() => resolveTimeZone(3600 as unknown as string)).toThrow(InvalidTimeZoneError);
  });

  it("names the zone in the error", () => {
    const error = (() => {
      try {
        resolveTimeZone("Mars/Olympus_Mons");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTimeZoneError);
    expect((error as InvalidTimeZoneError).timeZone).toBe("Mars/Olympus_Mons");
    expect((error as InvalidTimeZoneError).field).toBe("time_zone");
    expect((error as Error).message).toBe(
      'time_zone: invalid time zone "Mars/Olympus_Mons": not a known IANA time zone',
    );
  });
});

describe("TimeZone offsets", () => {
  it("finds offsets on both sides of a transition, to the second", () => {
    const berlin = TimeZone.of("Europe/Berlin");
    const transition = Date.parse("2024-03-31T01:00:00Z");
    expect(berlin.offsetAt(transition - 1000)).toBe(3_600_000);
    expect(berlin.offsetAt(transition)).toBe(7_200_000);
    // Lord Howe moves by 30 minutes at 15:30 UTC, mid-hour.
    const lordHowe = TimeZone.of("Australia/Lord_Howe");
    const lhTransition = Date.parse("2024-10-05T15:30:00Z");
    expect(lordHowe.offsetAt(lhTransition - 1000)).toBe(10.5 * 3_600_000);
    expect(lordHowe.offsetAt(lhTransition)).toBe(11 * 3_600_000);
  });
});

describe("nextOccurrence in a time zone", () => {
  it("reads the sections as local wall-clock time", () => {
    expect(nextOccurrence("0 3", at("2024-01-15T12:00:00Z"), "Europe/Berlin")).toEqual(at("2024-01-16T02:00:00Z"));
    expect(nextOccurrence("0 3", at("2024-07-15T12:00:00Z"), "Europe/Berlin")).toEqual(at("2024-07-16T01:00:00Z"));
    expect(nextOccurrence("0 3", at("2024-01-15T12:00:00Z"), "America/New_York")).toEqual(at("2024-01-16T08:00:00Z"));
    expect(nextOccurrence("0 3", at("2024-07-15T12:00:00Z"), "America/New_York")).toEqual(at("2024-07-16T07:00:00Z"));
  });

  it("uses the local date, not the UTC date, for days and months", () => {
    // 2024-01-31T23:30Z is already Feb 1 in Berlin, so "day 31" is next in March.
    expect(nextOccurrence("45 0 31", at("2024-01-31T23:30:00Z"), "Europe/Berlin")).toEqual(at("2024-03-30T23:45:00Z"));
    // ... and still Jan 31 in New York.
    expect(nextOccurrence("45 18 31", at("2024-01-31T23:30:00Z"), "America/New_York")).toEqual(
      at("2024-01-31T23:45:00Z"),
    );
  });

  it("is strictly after the reference minute in the zone", () => {
    expect(nextOccurrence("0 3", at("2024-01-16T02:00:30Z"), "Europe/Berlin")).toEqual(at("2024-01-17T02:00:00Z"));
  });

  describe("Europe/Berlin spring forward (2024-03-31, 02:00 CET → 03:00 CEST)", () => {
    it("runs a nonexistent time at the end of the gap, once", () => {
      expect(isoList(nextOccurrences("30 2", at("2024-03-30T12:00:00Z"), 3, "Europe/Berlin"))).toEqual([
        "2024-03-31T01:00:00.000Z", // 03:00 CEST: 02:30 does not exist
        "2024-04-01T00:30:00.000Z",
        "2024-04-02T00:30:00.000Z",
      ]);
    });

    it("collapses several nonexistent times into one run", () => {
      expect(isoList(nextOccurrences("*/20 2,3", at("2024-03-31T00:30:00Z"), 4, "Europe/Berlin"))).toEqual([
        "2024-03-31T01:00:00.000Z", // 02:00, 02:20, 02:40 and 03:00 all at 03:00 CEST
        "2024-03-31T01:20:00.000Z",
        "2024-03-31T01:40:00.000Z",
        "2024-04-01T00:00:00.000Z",
      ]);
    });

    it("keeps times around the gap exact", () => {
      expect(isoList(nextOccurrences("59 1,3", at("2024-03-30T23:00:00Z"), 2, "Europe/Berlin"))).toEqual([
        "2024-03-31T00:59:00.000Z",
        "2024-03-31T01:59:00.000Z",
      ]);
    });
  });

  describe("Europe/Berlin fall back (2024-10-27, 03:00 CEST → 02:00 CET)", () => {
    it("runs an ambiguous time once, on the first pass", () => {
      expect(isoList(nextOccurrences("30 2", at("2024-10-26T12:00:00Z"), 2, "Europe/Berlin"))).toEqual([
        "2024-10-27T00:30:00.000Z", // 02:30 CEST
        "2024-10-28T01:30:00.000Z", // not 02:30 CET on the 27th
      ]);
    });

    it("does not rerun when asked from inside the second pass", () => {
      expect(nextOccurrence("30 2", at("2024-10-27T01:15:00Z"), "Europe/Berlin")).toEqual(at("2024-10-28T01:30:00Z"));
      expect(nextOccurrence("45 2", at("2024-10-27T01:15:00Z"), "Europe/Berlin")).toEqual(at("2024-10-28T01:45:00Z"));
    });

    it("continues after the repeated hour for frequent schedules", () => {
      expect(isoList(nextOccurrences("0,30 *", at("2024-10-26T23:45:00Z"), 5, "Europe/Berlin"))).toEqual([
        "2024-10-27T00:00:00.000Z", // 02:00 CEST
        "2024-10-27T00:30:00.000Z", // 02:30 CEST
        "2024-10-27T02:00:00.000Z", // 03:00 CET; 02:00 and 02:30 CET skipped
        "2024-10-27T02:30:00.000Z",
        "2024-10-27T03:00:00.000Z",
      ]);
    });
  });

  describe("America/New_York", () => {
    it("spring forward (2024-03-10, 02:00 EST → 03:00 EDT)", () => {
      expect(isoList(nextOccurrences("30 2", at("2024-03-09T12:00:00Z"), 3, "America/New_York"))).toEqual([
        "2024-03-10T07:00:00.000Z", // 03:00 EDT: 02:30 does not exist
        "2024-03-11T06:30:00.000Z",
        "2024-03-12T06:30:00.000Z",
      ]);
    });

    it("fall back (2024-11-03, 02:00 EDT → 01:00 EST)", () => {
      expect(isoList(nextOccurrences("30 1", at("2024-11-02T12:00:00Z"), 3, "America/New_York"))).toEqual([
        "2024-11-03T05:30:00.000Z", // 01:30 EDT, once
        "2024-11-04T06:30:00.000Z",
        "2024-11-05T06:30:00.000Z",
      ]);
    });
  });

  it("handles a 30-minute DST shift that is not on a UTC hour (Australia/Lord_Howe)", () => {
    // 2024-10-06 02:00 +10:30 → 02:30 +11; 2025-04-06 02:00 +11 → 01:30 +10:30.
    expect(nextOccurrence("15 2", at("2024-10-05T12:00:00Z"), "Australia/Lord_Howe")).toEqual(
      at("2024-10-05T15:30:00Z"),
    );
    expect(isoList(nextOccurrences("45 1", at("2025-04-05T12:00:00Z"), 2, "Australia/Lord_Howe"))).toEqual([
      "2025-04-05T14:45:00.000Z", // 01:45 +11, once
      "2025-04-06T15:15:00.000Z",
    ]);
  });

  it("handles a skipped calendar day (Pacific/Apia jumped over 2011-12-30)", () => {
    expect(isoList(nextOccurrences("0 12", at("2011-12-28T12:00:00Z"), 4, "Pacific/Apia"))).toEqual([
      "2011-12-28T22:00:00.000Z", // Dec 28 12:00 -10
      "2011-12-29T22:00:00.000Z",
      "2011-12-30T10:00:00.000Z", // Dec 30 12:00 does not exist: Dec 31 00:00 +14
      "2011-12-30T22:00:00.000Z", // Dec 31 12:00 +14
    ]);
  });

  it("handles a 15-minute gap (Asia/Kathmandu, 1986-01-01 00:00 +05:30 → 00:15 +05:45)", () => {
    expect(nextOccurrence("5 0 1 1", at("1985-12-31T12:00:00Z"), "Asia/Kathmandu")).toEqual(at("1985-12-31T18:30:00Z"));
  });

  it("works for fixed-offset zones", () => {
    expect(nextOccurrence("0 3", at("2024-01-15T12:00:00Z"), "Etc/GMT-14")).toEqual(at("2024-01-15T13:00:00Z"));
  });
});
