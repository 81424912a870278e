/**
 * Validity checks shared by configuration and the targets domain, phrased as
 * "what is wrong" texts (undefined when fine).
 */
import { InvalidArgumentError } from "../lib/errors.js";
import { CronParseError, CronSchedule, InvalidTimeZoneError, nextOccurrences, resolveTimeZone } from "./cron/index.js";

/** Why `expression` is not a valid Vieter cron schedule, or undefined. */
export function checkSchedule(expression: string): string | undefined {
  try {
    CronSchedule.parse(expression);
    return undefined;
  } catch (err) {
    if (err instanceof CronParseError) return err.reason;
    throw err;
  }
}

/** Why `name` is not an IANA time zone, or undefined. */
export function checkTimeZone(name: string): string | undefined {
  try {
    resolveTimeZone(name);
    return undefined;
  } catch (err) {
    if (err instanceof InvalidTimeZoneError) return "must be an IANA time zone such as UTC or Europe/Brussels";
    throw err;
  }
}

/** The next `count` occurrences of a schedule; InvalidArgumentError for a bad expression. */
export function previewSchedule(expression: string, from: Date, count: number, timeZone: string): Date[] {
  const problem = checkSchedule(expression);
  if (problem !== undefined) throw new InvalidArgumentError("expression", `${JSON.stringify(expression)}: ${problem}`);
  return nextOccurrences(expression, from, count, timeZone);
}
