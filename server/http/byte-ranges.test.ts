import { describe, expect, it } from "vitest";
import { decideRange } from "./byte-ranges.js";

describe("decideRange", () => {
  it.each([
    [undefined, 100, { kind: "full" }],
    ["bytes=0-9", 100, { kind: "partial", start: 0, end: 9 }],
    ["bytes=90-", 100, { kind: "partial", start: 90, end: 99 }],
    ["bytes=-10", 100, { kind: "partial", start: 90, end: 99 }],
    ["bytes=-1000", 100, { kind: "partial", start: 0, end: 99 }],
    ["bytes=50-5000", 100, { kind: "partial", start: 50, end: 99 }],
    ["bytes=99-99", 100, { kind: "partial", start: 99, end: 99 }],
    ["bytes=0-0", 100, { kind: "partial", start: 0, end: 0 }],
    ["bytes=100-", 100, { kind: "unsatisfiable" }],
    ["bytes=100-200", 100, { kind: "unsatisfiable" }],
    ["bytes=-0", 100, { kind: "unsatisfiable" }],
    ["bytes=0-", 0, { kind: "unsatisfiable" }],
    ["bytes=-5", 0, { kind: "unsatisfiable" }],
    ["bytes=99999999999999999999-", 100, { kind: "unsatisfiable" }],
    // Ignored: multiple ranges, other units, garbage, reversed.
    ["bytes=0-1,5-6", 100, { kind: "full" }],
    ["items=0-1", 100, { kind: "full" }],
    ["bytes=a-b", 100, { kind: "full" }],
    ["bytes=-", 100, { kind: "full" }],
    ["bytes=9-1", 100, { kind: "full" }],
    ["bytes=1--2", 100, { kind: "full" }],
    ["", 100, { kind: "full" }],
  ])("%s of %i bytes", (header, size, expected) => {
    expect(decideRange(header, size)).toEqual(expected);
  });
});
