/**
 * Longest slice of untrusted input quoted in an error message: names and
 * package contents come from clients, so a hostile multi-megabyte value must
 * not be echoed whole into logs and responses.
 */
const MAX_QUOTED_LENGTH = 80;

/**
 * Quotes untrusted input for an error message. JSON string syntax escapes
 * control characters, so the message stays on one readable line.
 */
export function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
  return JSON.stringify(shown);
}
