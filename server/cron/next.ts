import { CronSchedule } from "./schedule.js";

/**
 * Parses `expression`, or passes an already parsed schedule through, so the
 * convenience functions below accept both.
 */
function toSchedule(expression: string | CronSchedule): CronSchedule {
  return expression instanceof CronSchedule ? expression : CronSchedule.parse(expression);
}

/**
 * First occurrence of `expression` strictly after the minute containing
 * `from` (seconds ignored), reading the sections as wall-clock time in the
 * IANA zone `timeZone`.
 *
 * Pass a {@link CronSchedule} instead of a string when evaluating the same
 * expression repeatedly, to parse it only once.
 *
 * @throws {CronParseError} for an invalid expression.
 * @throws {InvalidTimeZoneError} for an unknown zone.
 * @throws {RangeError} if `from` is not a valid Date in years 1900–9999.
 */
export function nextOccurrence(expression: string | CronSchedule, from: Date, timeZone = "UTC"): Date {
  return toSchedule(expression).next(from, timeZone);
}

/**
 * The next `count` occurrences of `expression` after `from`, ascending; what
 * `vieter schedule` prints.
 *
 * @throws like {@link nextOccurrence}, and InvalidArgumentError (field
 *   `count`) if `count` is not an integer in 0–10,000.
 */
export function nextOccurrences(
  expression: string | CronSchedule,
  from: Date,
  count: number,
  timeZone = "UTC",
): Date[] {
  return toSchedule(expression).nextN(from, count, timeZone);
}
