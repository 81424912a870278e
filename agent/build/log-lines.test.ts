import { describe, expect, it } from "vitest";
import { LastLines, LineSplitter, MAX_LINE } from "./log-lines.js";

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((text) => lines.push(text));
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

describe("LineSplitter", () => {
  it("joins lines split across chunks and keeps empty lines", () => {
    expect(split(["a", "b\nc\n", "\n", "d"])).toEqual(["ab", "c", "", "d"]);
  });

  it("drops the \\r of CRLF endings", () => {
    expect(split(["one\r\ntwo\r\n"])).toEqual(["one", "two"]);
  });

  it("decodes a UTF-8 character split between chunks", () => {
    const bytes = Buffer.from("é✓\n");
    expect(split([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(["é✓"]);
  });

  it("cuts lines longer than MAX_LINE, even without a newline", () => {
    const lines = split(["x".repeat(MAX_LINE * 2 + 5)]);
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE, MAX_LINE, 5]);
  });
});

describe("LastLines", () => {
  it("keeps only the newest lines, oldest first", () => {
    const last = new LastLines(3);
    for (const line of ["1", "2", "3", "4", "5"]) last.add(line);
    expect(last.lines).toEqual(["3", "4", "5"]);
  });
});
