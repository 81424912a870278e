import { InvalidArgumentError } from "../../lib/errors.js";

/**
 * Longest slice of user input quoted in an error message. Expressions arrive
 * from API clients, so a hostile multi-megabyte string must not be echoed back
 * whole into logs and responses.
 */
const MAX_QUOTED_LENGTH = 80;

/**
 * Quotes user input for an error message: JSON string syntax escapes control
 * characters (newlines, NUL, …) so the message stays on one readable line.
 */
export function quoteInput(input: string): string {
  const shown = input.length > MAX_QUOTED_LENGTH ? `${input.slice(0, MAX_QUOTED_LENGTH)}…` : input;
  return JSON.stringify(shown);
}

/**
 * A cron expression does not follow Vieter's `minute hour day month` grammar
 * or can never fire.
 *
 * An {@link InvalidArgumentError}, so transports report it as a bad argument;
 * the message names the field, the expression and what is wrong, e.g.
 * `schedule: invalid cron expression "4 *-7": hour section "*-7": '*' cannot start a range`.
 */
export class CronParseError extends InvalidArgumentError {
  /** The rejected expression, exactly as given. */
  readonly expression: string;
  /** What is wrong, without field or expression. */
  readonly reason: string;

  /** @param field - the argument that held the expression (`schedule`, `global_schedule`, …). */
  constructor(expression: string, reason: string, field = "schedule") {
    super(field, `invalid cron expression ${quoteInput(expression)}: ${reason}`);
    this.expression = expression;
    this.reason = reason;
  }
}

/** A time zone name that is not a valid IANA time zone. */
export class InvalidTimeZoneError extends InvalidArgumentError {
  /** The rejected name, exactly as given. */
  readonly timeZone: string;

  constructor(timeZone: string, reason = "not a known IANA time zone", field = "time_zone") {
    super(field, `invalid time zone ${quoteInput(timeZone)}: ${reason}`);
    this.timeZone = timeZone;
  }
}
