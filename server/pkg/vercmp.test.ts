import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./testing/exec.js";
import { pick, randomInt, seededRandom } from "./testing/random.js";
import { formatVersion, parseVersion, vercmp } from "./vercmp.js";

// [a, b, expected] — pacman's own vercmp test cases plus the brief's examples.
const CLASSIC: ReadonlyArray<readonly [string, string, number]> = [
  ["1.5.0", "1.5.0", 0],
  ["1.5.1", "1.5.0", 1],
  ["1.5.1", "1.5", 1],
  ["1.5.0-1", "1.5.0-1", 0],
  ["1.5.0-1", "1.5.0-2", -1],
  ["1.5.0-1", "1.5.1-1", -1],
  ["1.5.0-2", "1.5.1-1", -1],
  ["1.5-1", "1.5.1-1", -1],
  ["1.5-2", "1.5.1-1", -1],
  ["1.5-2", "1.5.1-2", -1],
  ["1.5", "1.5-1", 0],
  ["1.5-1", "1.5", 0],
  ["1.0-1", "1.0", 0],
  ["1.1-1", "1.1", 0],
  ["1.0-1", "1.1", -1],
  ["1.1-1", "1.0", 1],
  ["1.5b-1", "1.5-1", -1],
  ["1.5b", "1.5", -1],
  ["1.5b-1", "1.5", -1],
  ["1.5b", "1.5.1", -1],
  ["1.0a", "1.0alpha", -1],
  ["1.0alpha", "1.0b", -1],
  ["1.0b", "1.0beta", -1],
  ["1.0beta", "1.0rc", -1],
  ["1.0rc", "1.0", -1],
  ["1.5.a", "1.5", 1],
  ["1.5.b", "1.5.a", 1],
  ["1.5.1", "1.5.b", 1],
  ["1.5.b-1", "1.5.b", 0],
  ["1.5-1", "1.5.b", -1],
  ["2.0", "2_0", 0],
  ["2.0_a", "2_0.a", 0],
  ["2.0a", "2.0.a", -1],
  ["1.0a", "1.0.a", -1],
  ["2___a", "2_a", 1],
  ["0:1.0", "0:1.0", 0],
  ["0:1.0", "0:1.1", -1],
  ["1:1.0", "0:1.0", 1],
  ["1:1.0", "0:1.1", 1],
  ["1:1.0", "2:1.1", -1],
  ["1:1.0", "0:1.0-1", 1],
  ["1:1.0-1", "0:1.1-1", 1],
  ["0:1.0", "1.0", 0],
  ["0:1.1", "1.0", 1],
  ["0:1.1", "1.1", 0],
  ["1:1.0", "1.0", 1],
  ["1:1.1", "1.1", 1],
  ["1:1.1", "1.11", 1],
  ["01.0", "1.0", 0],
  ["1.010", "1.9", 1],
  ["1.0~rc1", "1.0", 1],
  ["", "", 0],
  ["", "1", -1],
  ["1", "", 1],
];

describe("vercmp", () => {
  it.each(CLASSIC)("vercmp(%j, %j) = %i", (a, b, expected) => {
    expect(vercmp(a, b)).toBe(expected);
    expect(vercmp(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it("agrees with the classic table when asked of /usr/bin/vercmp", async () => {
    const expected = CLASSIC.map(([, , e]) => e);
    expect(await realVercmp(CLASSIC.map(([a, b]) => [a, b]))).toEqual(expected);
  });

  describe("against /usr/bin/vercmp on generated pairs", () => {
    const pairs = generatePairs(3000, 0x5eed);
    let expected: number[] = [];
    beforeAll(async () => {
      // Two halves in parallel: one bash loop each, one vercmp spawn per pair.
      const half = Math.ceil(pairs.length / 2);
      const [first, second] = await Promise.all([realVercmp(pairs.slice(0, half)), realVercmp(pairs.slice(half))]);
      expected = [...first, ...second];
    });

    it("gives the same answer for every pair", () => {
      const mismatches = pairs
        .map(([a, b], i) => ({ a, b, ours: vercmp(a, b), pacman: expected[i] }))
        .filter((m) => m.ours !== m.pacman);
      expect(mismatches.slice(0, 20)).toEqual([]);
      expect(expected).toHaveLength(pairs.length);
    });
  });
});

describe("parseVersion / formatVersion", () => {
  it("splits epoch, pkgver and pkgrel like libalpm", () => {
    expect(parseVersion("1:2.0-3")).toEqual({ epoch: "1", pkgver: "2.0", pkgrel: "3" });
    expect(parseVersion("2.0")).toEqual({ epoch: "0", pkgver: "2.0", pkgrel: undefined });
    expect(parseVersion(":2.0-1")).toEqual({ epoch: "0", pkgver: "2.0", pkgrel: "1" });
    expect(parseVersion("1-2-3")).toEqual({ epoch: "0", pkgver: "1-2", pkgrel: "3" });
    expect(parseVersion("a:1-1")).toEqual({ epoch: "0", pkgver: "a:1", pkgrel: "1" });
  });

  it("formats like makepkg, dropping a zero epoch", () => {
    expect(formatVersion({ epoch: "0", pkgver: "1.0", pkgrel: "1" })).toBe("1.0-1");
    expect(formatVersion({ epoch: "2", pkgver: "1.0", pkgrel: "1" })).toBe("2:1.0-1");
    expect(formatVersion({ epoch: "0", pkgver: "1.0", pkgrel: undefined })).toBe("1.0");
    expect(formatVersion(parseVersion("3:4.5-6.1"))).toBe("3:4.5-6.1");
  });
});

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "vieter-vercmp-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs the real vercmp on each pair through one bash loop. */
async function realVercmp(pairs: ReadonlyArray<readonly string[]>): Promise<number[]> {
  const file = join(workDir, `pairs-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, pairs.map(([a, b]) => `${a}\n${b}\n`).join(""));
  const out = await run("bash", [
    "-c",
    'while IFS= read -r a && IFS= read -r b; do vercmp "$a" "$b"; done < "$1"',
    "_",
    file,
  ]);
  return out.toString("utf8").trim().split("\n").filter(Boolean).map(Number);
}

const SEPARATORS = [".", ".", ".", ".", "_", "+", "~", "..", "", "ä", "@", "%", ".."] as const;
const ALPHA = ["a", "b", "alpha", "beta", "rc", "pre", "git", "r", "A", "Z", "p", "dev"] as const;

function generatePairs(count: number, seed: number): Array<[string, string]> {
  const rng = seededRandom(seed);
  const pairs: Array<[string, string]> = [];
  while (pairs.length < count) {
    const a = randomVersion(rng);
    const b = rng() < 0.75 ? mutate(rng, a) : randomVersion(rng);
    // The binary treats a lone "-h"/"--help" as a request for its usage text.
    if ([a, b].some((v) => v === "-h" || v === "--help" || v.includes("\n"))) continue;
    pairs.push(rng() < 0.5 ? [a, b] : [b, a]);
  }
  return pairs;
}

function randomSegment(rng: () => number): string {
  if (rng() < 0.3) return pick(rng, ALPHA);
  const zeros = rng() < 0.15 ? "0".repeat(randomInt(rng, 1, 2)) : "";
  return zeros + String(randomInt(rng, 0, rng() < 0.8 ? 12 : 100_000));
}

function randomVersion(rng: () => number): string {
  let v = "";
  if (rng() < 0.25) v += pick(rng, ["0", "1", "2", "10", "01", ""]) + ":";
  if (rng() < 0.05) v += pick(rng, SEPARATORS);
  const segments = randomInt(rng, 1, 5);
  for (let i = 0; i < segments; i++) {
    if (i > 0) v += pick(rng, SEPARATORS);
    v += randomSegment(rng);
  }
  if (rng() < 0.08) v += pick(rng, SEPARATORS);
  if (rng() < 0.5) v += "-" + (rng() < 0.8 ? String(randomInt(rng, 0, 12)) : randomSegment(rng) + ".1");
  if (rng() < 0.03) v = "";
  return v;
}

function mutate(rng: () => number, v: string): string {
  const chars = [...v];
  const at = randomInt(rng, 0, Math.max(0, chars.length - 1));
  switch (randomInt(rng, 0, 9)) {
    case 0:
      return v + pick(rng, SEPARATORS) + randomSegment(rng);
    case 1:
      return chars.slice(0, -1).join("");
    case 2:
      return v.replace(/\d+/, (d) => String(Number(d) + randomInt(rng, -1, 1)));
    case 3:
      return v.includes(":") ? v.slice(v.indexOf(":") + 1) : `${randomInt(rng, 0, 2)}:${v}`;
    case 4:
      return v.includes("-") ? v.slice(0, v.lastIndexOf("-")) : `${v}-${randomInt(rng, 0, 3)}`;
    case 5:
      return v.replace(/[._+~]/, pick(rng, SEPARATORS));
    case 6:
      return chars.slice(0, at).join("") + "0" + chars.slice(at).join("");
    case 7:
      return v + pick(rng, ALPHA);
    case 8:
      return v.replace(".", "..");
    default:
      return v;
  }
}
