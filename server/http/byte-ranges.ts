/**
 * RFC 9110 single byte ranges: parse a Range header against a known size.
 * Multiple ranges, other units and malformed headers are ignored (the whole
 * body is sent), as the RFC allows; a valid but unsatisfiable range is 416.
 */

/** What to send for a Range header. */
export type RangeDecision =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" };

const SPEC = /^bytes=(\d*)-(\d*)$/;

/** Decides how to answer `range` (the raw header, or undefined) for a body of `size` bytes. */
export function decideRange(range: string | undefined, size: number): RangeDecision {
  if (range === undefined) return { kind: "full" };
  const m = SPEC.exec(range.trim().replace(/^bytes\s*=\s*/i, "bytes="));
  if (!m) return { kind: "full" };
  const [, first, last] = m as unknown as [string, string, string];
  if (first === "" && last === "") return { kind: "full" };
  if (first === "") {
    // Suffix range: the last n bytes.
    const n = toInt(last);
    if (n === undefined) return { kind: "full" };
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = toInt(first);
  const end = last === "" ? size - 1 : toInt(last);
  if (start === undefined || end === undefined) return { kind: "full" };
  if (last !== "" && end < start) return { kind: "full" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(end, size - 1) };
}

function toInt(digits: string): number | undefined {
  if (digits.length > 15) return Number.MAX_SAFE_INTEGER;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}
