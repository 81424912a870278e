import { describe, expect, it } from "vitest";
import {
  archNameProblem,
  buildArchProblem,
  invalidNameMessage,
  repoNameProblem,
  validateArch,
  validateBuildArch,
  validatePackageName,
  validateRepoName,
} from "./names.js";
import { UNSAFE_NAMES, invalidArgumentMessage } from "./testing/names.js";

describe("validateRepoName", () => {
  it.each(["vieter", "my-repo_2", "Repo.Name", "apis", "0ad", "gtk+extra", "x".repeat(128)])("accepts %j", (name) => {
    expect(validateRepoName(name)).toBe(name);
  });

  it.each([
    ...UNSAFE_NAMES,
    ["api", '"api" is reserved'],
    ["API", '"api" is reserved'],
    ["Api", '"api" is reserved'],
    ["x".repeat(129), "longer than 128 characters"],
    // A repo name is a URL segment and a pacman.conf section: ASCII, no spaces, no brackets.
    ["ä-repo", "may only contain"],
    ["my repo", "may only contain"],
    ["a]", "may only contain"],
    ["a[b", "may only contain"],
    ["a%2Fb", "may only contain"],
    ["_repo", "must start with a letter or digit"],
    ["+repo", "must start with a letter or digit"],
  ])("rejects %j", (name, reason) => {
    const message = invalidArgumentMessage(() => validateRepoName(name));
    expect(message).toContain(reason);
    expect(message).toMatch(/^repo: invalid repository name "/);
  });

  it("names the field it was given", () => {
    expect(invalidArgumentMessage(() => validateRepoName("a/b", "path.repo"))).toMatch(/^path\.repo: /);
  });
});

describe("validateArch", () => {
  it.each(["x86_64", "aarch64", "any", "armv7h", "i686", "x".repeat(128)])("accepts %j", (arch) => {
    expect(validateArch(arch)).toBe(arch);
  });

  it.each([
    ...UNSAFE_NAMES,
    ["x86-64", "may only contain"],
    ["arm 64", "may only contain"],
    ["ärm", "may only contain"],
    ["x".repeat(129), "longer than 128 characters"],
  ])("rejects %j", (arch, reason) => {
    expect(invalidArgumentMessage(() => validateArch(arch))).toContain(reason);
  });
});

describe("validateBuildArch", () => {
  it("accepts a real architecture and refuses any, naming the field", () => {
    expect(validateBuildArch("aarch64")).toBe("aarch64");
    expect(invalidArgumentMessage(() => validateBuildArch("any", "arches"))).toBe(
      'arches: invalid architecture "any": must be a real architecture, not any',
    );
  });

  it.each(UNSAFE_NAMES)("rejects %j as validateArch does", (arch, reason) => {
    expect(buildArchProblem(arch)).toBe(archNameProblem(arch));
    expect(invalidArgumentMessage(() => validateBuildArch(arch))).toContain(reason);
  });
});

describe("validatePackageName", () => {
  // makepkg limits a pkgname only by the file system, so the server must too.
  it.each(["vieter", "lib32-glibc", "gtk2+", "python@3.12", "a_b.c", "0ad", "@scope", "x".repeat(255)])(
    "accepts %j",
    (name) => {
      expect(validatePackageName(name)).toBe(name);
    },
  );

  it.each([...UNSAFE_NAMES, ["a b", "may only contain"], ["näme", "may only contain"], ["a:b", "may only contain"]])(
    "rejects %j",
    (name, reason) => {
      expect(invalidArgumentMessage(() => validatePackageName(name))).toContain(reason);
    },
  );
});

describe("invalidNameMessage", () => {
  it("names the value, quoted and shortened, for callers without a field", () => {
    const long = `${"x".repeat(100)}\n`;
    expect(invalidNameMessage("repository name", "a b", repoNameProblem("a b")!)).toBe(
      'invalid repository name "a b": may only contain A-Z, a-z, 0-9 and ._+-, and must start with a letter or digit',
    );
    expect(invalidNameMessage("repository name", long, repoNameProblem(long)!)).toBe(
      `invalid repository name "${"x".repeat(80)}…": must not contain NUL or other control characters`,
    );
  });
});
