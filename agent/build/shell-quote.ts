/**
 * Quoting for the generated build script. Every value that comes from a
 * target (url, branch, path, repo) passes through here, so a quote, `$()`,
 * a backtick or a newline in it stays data and never becomes shell code.
 */
import { InvalidArgumentError } from "../../lib/errors.js";

/**
 * Quotes `value` as one bash word: single quotes around it, each `'` written
 * as `'\''`. Inside single quotes bash interprets nothing, newlines included.
 * Throws InvalidArgumentError for a NUL byte, which no bash string can hold.
 */
export function shellQuote(value: string, field = "value"): string {
  if (value.includes("\0")) throw new InvalidArgumentError(field, "must not contain a NUL byte");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
