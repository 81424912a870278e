import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../lib/errors.js";
import { validateArch, validatePackageFilename, validatePackageName, validateRepoName } from "./names.js";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error("expected an InvalidArgumentError");
}

// Every validator shares these path-safety rules.
const UNSAFE: ReadonlyArray<[string, string]> = [
  ["", "must not be empty"],
  [".", 'must not be "." or ".."'],
  ["..", 'must not be "." or ".."'],
  ["a/b", 'must not contain "/"'],
  ["../etc", 'must not contain "/"'],
  ["a\\b", 'must not contain "/" or "\\"'],
  ["a\0b", "control characters"],
  ["a\nb", "control characters"],
  ["a\u0085b", "control characters"],
  ["-rf", 'must not start with "-"'],
  [".hidden", 'must not start with "."'],
  ["x".repeat(256), "longer than 255 bytes"],
  ["ä".repeat(128), "longer than 255 bytes"],
  ["a\ud800", "valid Unicode"],
];

describe("validateRepoName", () => {
  it.each(["vieter", "my-repo_2", "Repo.Name", "apis", "ä-repo", "x".repeat(255)])("accepts %j", (name) => {
    expect(validateRepoName(name)).toBe(name);
  });

  it.each([...UNSAFE, ["api", '"api" is reserved'], ["API", '"api" is reserved'], ["Api", '"api" is reserved']])(
    "rejects %j",
    (name, reason) => {
      const message = messageOf(() => validateRepoName(name));
      expect(message).toContain(reason);
      expect(message).toMatch(/^repo: invalid repository name "/);
    },
  );

  it("names the field it was given", () => {
    expect(messageOf(() => validateRepoName("a/b", "path.repo"))).toMatch(/^path\.repo: /);
  });
});

describe("validateArch", () => {
  it.each(["x86_64", "aarch64", "any", "armv7h", "i686"])("accepts %j", (arch) => {
    expect(validateArch(arch)).toBe(arch);
  });

  it.each([...UNSAFE, ["x86-64", "may only contain"], ["arm 64", "may only contain"], ["ärm", "may only contain"]])(
    "rejects %j",
    (arch, reason) => {
      expect(messageOf(() => validateArch(arch))).toContain(reason);
    },
  );
});

describe("validatePackageName", () => {
  it.each(["vieter", "lib32-glibc", "gtk2+", "python@3.12", "a_b.c", "0ad"])("accepts %j", (name) => {
    expect(validatePackageName(name)).toBe(name);
  });

  it.each([...UNSAFE, ["a b", "may only contain"], ["näme", "may only contain"], ["a:b", "may only contain"]])(
    "rejects %j",
    (name, reason) => {
      expect(messageOf(() => validatePackageName(name))).toContain(reason);
    },
  );
});

describe("validatePackageFilename", () => {
  it.each([
    "vieter-1:0.7.0-1-x86_64.pkg.tar.zst",
    "a-1-1-any.pkg.tar",
    "a-1-1-any.pkg.tar.gz",
    "a-1-1-any.pkg.tar.xz",
    "a-1-1-any.pkg.tar.zst.sig",
  ])("accepts %j", (filename) => {
    expect(validatePackageFilename(filename)).toBe(filename);
  });

  it.each([
    ...UNSAFE,
    ["vieter.db", 'must end in ".pkg.tar"'],
    ["a-1-1-any.pkg.tar.bz2", 'must end in ".pkg.tar"'],
    ["../../a-1-1-any.pkg.tar", 'must not contain "/"'],
  ])("rejects %j", (filename, reason) => {
    expect(messageOf(() => validatePackageFilename(filename))).toContain(reason);
  });
});
