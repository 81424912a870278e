import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../lib/errors.js";
import { shellQuote } from "./shell-quote.js";

const HOSTILE = [
  "",
  "plain",
  "it's",
  "'",
  "''",
  "'\\''",
  '"double" quotes',
  "$(touch /tmp/vieter-pwned)",
  "`touch /tmp/vieter-pwned`",
  "${HOME}",
  "$HOME $0 $1 $@",
  "a; rm -rf /",
  "a && b || c | d & e",
  "line one\nline two",
  "\n",
  "back\\slash\\",
  "glob * ? [a-z] ~",
  "-rf",
  "--branch=evil",
  "!history !!",
  "tab\there",
  "{a,b}",
  "unicode ✓ é 中文",
  "> /etc/passwd <",
  "#comment",
  "'; echo injected; '",
];

describe("shellQuote", () => {
  it.each(HOSTILE)("bash reads %j back as exactly that one word", (value) => {
    // Each value goes through a real bash: `printf %s <quoted>` must print the value itself.
    const out = execFileSync("bash", ["-c", `set -u; printf '%s' ${shellQuote(value)} | od -An -c`], {
      encoding: "utf8",
    });
    const expected = execFileSync("od", ["-An", "-c"], { input: value, encoding: "utf8" });
    expect(out).toBe(expected);
  });

  it("makes one argument of a value with spaces and quotes", () => {
    const out = execFileSync("bash", ["-c", `printf '<%s>' ${shellQuote("a b' c")} ${shellQuote("")}`], {
      encoding: "utf8",
    });
    expect(out).toBe("<a b' c><>");
  });

  it("writes single quotes the POSIX way", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
  });

  it("refuses NUL, which no shell string can hold", () => {
    expect(() => shellQuote("a\0b", "branch")).toThrow(InvalidArgumentError);
    expect(() => shellQuote("a\0b", "branch")).toThrow(/branch: must not contain a NUL byte/);
  });
});
