import { describe, expect, it } from "vitest";
import { DomainError, InvalidArgumentError } from "../../lib/errors.js";
import { CronParseError } from "./errors.js";
import { MAX_EXPRESSION_LENGTH, parseCronFields } from "./parse.js";

const range = (lo: number, hi: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
};

/** Parses `expression`, expecting a CronParseError, and returns it. */
function rejection(expression: string): CronParseError {
  try {
    parseCronFields(expression);
  } catch (e) {
    if (e instanceof CronParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

describe("parseCronFields: accepted", () => {
  it("expands every part shape", () => {
    expect(parseCronFields("5 */6 3-5 2-12/5")).toEqual({
      minutes: [5],
      hours: [0, 6, 12, 18],
      days: [3, 4, 5],
      months: [2, 7, 12],
    });
    expect(parseCronFields("50/4 20/1").minutes).toEqual([50, 54, 58]);
    expect(parseCronFields("50/4 20/1").hours).toEqual([20, 21, 22, 23]);
    expect(parseCronFields("0 0 */7").days).toEqual([1, 8, 15, 22, 29]);
  });

  it("extends missing trailing sections with *", () => {
    const full = parseCronFields("5 5 * *");
    expect(parseCronFields("5 5")).toEqual(full);
    expect(parseCronFields("5 5 *")).toEqual(full);
    expect(full).toEqual({ minutes: [5], hours: [5], days: range(1, 31), months: range(1, 12) });
  });

  it.each(["0 1 2 3 ", "0    3   ", "0    3         ", "0 3-7/4,7-19", "0\t3", " 0 3", "59 23 31 12", "0 0 29 2"])(
    "accepts %j",
    (expression) => {
      expect(() => parseCronFields(expression)).not.toThrow();
    },
  );

  it("merges overlapping list items into sorted distinct values", () => {
    expect(parseCronFields("0 3-7/4,7-19").hours).toEqual([3, 7, ...range(8, 19)]);
    expect(parseCronFields("30,10,10-12,0 0").minutes).toEqual([0, 10, 11, 12, 30]);
  });

  it("accepts the step limits of the old implementation (n ≤ max − min)", () => {
    expect(parseCronFields("*/59 0").minutes).toEqual([0, 59]);
    expect(parseCronFields("0 0 1 */11").months).toEqual([1, 12]);
    expect(parseCronFields("0 0 */30").days).toEqual([1, 31]);
  });

  it("accepts leading zeros within two digits", () => {
    expect(parseCronFields("05 07").minutes).toEqual([5]);
  });

  it("accepts a schedule possible only in some months or years", () => {
    expect(parseCronFields("0 0 30 2,3").days).toEqual([30]);
    expect(parseCronFields("0 0 29 2").months).toEqual([2]);
  });
});

describe("parseCronFields: rejected", () => {
  // Each case: the expression and a fragment the reason must contain.
  it.each([
    ["4 *-7", "hour section \"*-7\": '*' cannot start a range"],
    ["4 *-7/4", "'*' cannot start a range"],
    ["4 7/*", "'*' cannot be a step"],
    ["4 3-*", "'*' cannot end a range"],
    ["0 0 30 2", "day 30 never occurs in month 2"],
    ["0 0 31 4,6,9,11", "never occurs"],
    ["0 0 30,31 2", "never occurs"],
    ["0 /5", "missing a start value"],
    ["0 5-", "missing an end value"],
    ["0 -5", "missing a start value"],
    ["0", "expected 2 to 4 sections"],
    ["0  ", "got 1"],
    ["      0", "got 1"],
    ["       0      ", "got 1"],
    ["", "expression is empty"],
    ["   ", "expression is empty"],
    ["\t \t", "expression is empty"],
    ["1 2 3 4~9", 'unexpected character "~"'],
    ["1 1-3-5", "more than one '-'"],
    ["0 5/2-5", "a range cannot follow '/'"],
    ["1 1/2/3", "more than one '/'"],
    ["*5 8", "'*' must stand alone"],
    ["5* 8", "'*' must stand alone"],
    ["x 8", 'unexpected character "x"'],
    ["0 0 * * *", "got 5 (there is no day-of-week section)"],
    ["0 0 * * 1 2", "got 6"],
    ["60 0", "minute 60 is outside 0-59"],
    ["0 24", "hour 24 is outside 0-23"],
    ["0 0 0", "day 0 is outside 1-31"],
    ["0 0 32", "day 32 is outside 1-31"],
    ["0 0 1 0", "month 0 is outside 1-12"],
    ["0 0 1 13", "month 13 is outside 1-12"],
    ["0 5-3", 'range "5-3" ends before it starts'],
    ["*/0 0", "step must be at least 1"],
    ["0 2/0", "step must be at least 1"],
    ["*/60 0", "step 60 is larger than 59"],
    ["0 */24", "step 24 is larger than 23"],
    ["0 0 1 */12", "step 12 is larger than 11"],
    ["0 5/", "missing step after '/'"],
    ["0 1,,2", "empty item in comma list"],
    ["0 1,", "empty item in comma list"],
    ["0 ,1", "empty item in comma list"],
    ["+5 0", 'unexpected character "+"'],
    ["5.0 0", 'unexpected character "."'],
    ["1e1 0", 'unexpected character "e"'],
    ["0x1 0", 'unexpected character "x"'],
    ["005 0", 'value "005" has more than 2 digits'],
    ["99999999999999999999999 0", "has more than 2 digits"],
    ["0 */0000000000000000001", "has more than 2 digits"],
    ["٣ 0", 'unexpected character "٣"'],
    ["０ 0", 'unexpected character "０"'],
    ["𝟎 0", 'unexpected character "𝟎"'],
    ["0\u00a03", 'unexpected character "\u00a0"'],
    ["0\n3", 'unexpected character "\\n"'],
    ["0 3\u0000", 'unexpected character "\\u0000"'],
    ["MON 3", 'unexpected character "M"'],
    ["@daily 3", 'unexpected character "@"'],
    ["? 3", 'unexpected character "?"'],
    ["L 3", 'unexpected character "L"'],
  ])("rejects %j", (expression, reason) => {
    const error = rejection(expression);
    expect(error.expression).toBe(expression);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`schedule: invalid cron expression ${JSON.stringify(expression)}: ${error.reason}`);
  });

  it("names the offending section", () => {
    expect(rejection("0 0 32").reason).toMatch(/^day section "32": /);
    expect(rejection("0 0 1 4~9").reason).toMatch(/^month section "4~9": /);
    expect(rejection("x 8").reason).toMatch(/^minute section "x": /);
  });
});

describe("parseCronFields: error shape", () => {
  it("is an InvalidArgumentError for the schedule argument", () => {
    const error = rejection("4 *-7");
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe("invalid_argument");
    expect(error.field).toBe("schedule");
    expect(error.message).toBe(
      `schedule: invalid cron expression "4 *-7": hour section "*-7": '*' cannot start a range in "*-7"`,
    );
  });

  it("names another argument when asked", () => {
    expect(() => parseCronFields("0", "global_schedule")).toThrow(/^global_schedule: invalid cron expression "0": /);
  });
});

describe("parseCronFields: hostile input", () => {
  it("rejects non-strings with a CronParseError", () => {
    for (const value of [undefined, null, 42, {}, ["0", "3"]]) {
      const error = rejection(value as unknown as string);
      expect(error.reason).toMatch(/^expected a string, got /);
    }
  });

  it("rejects very long input quickly and quotes only a prefix of it", () => {
    const huge = "0 ".repeat(5_000_000);
    const started = performance.now();
    const error = rejection(huge);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.reason).toBe(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
    expect(error.message.length).toBeLessThan(200);
    expect(error.expression).toBe(huge);
  });

  it("accepts a maximal explicit listing just under the length cap", () => {
    const expression = [range(0, 59), range(0, 23), range(1, 31), range(1, 12)].map((v) => v.join(",")).join(" ");
    expect(expression.length).toBeLessThan(MAX_EXPRESSION_LENGTH);
    expect(parseCronFields(expression).minutes).toHaveLength(60);
  });

  it("rejects long lists of commas and dashes without blowing up", () => {
    expect(rejection(`0 ${",".repeat(900)}`).reason).toContain("empty item");
    expect(rejection(`0 1${"-1".repeat(400)}`).reason).toContain("more than one '-'");
    expect(rejection(`0 1${"/1".repeat(400)}`).reason).toContain("more than one '/'");
  });

  it("escapes control characters in the message", () => {
    const error = rejection("0 3\r\n\u001b[31m");
    expect(error.message).not.toMatch(/[\r\n\u001b]/);
  });

  it("does not treat prototype property names specially", () => {
    expect(rejection("constructor __proto__").reason).toContain("unexpected character");
  });
});
