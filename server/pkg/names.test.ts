import { describe, expect, it } from "vitest";
import { UNSAFE_NAMES, invalidArgumentMessage } from "../../lib/testing/names.js";
import { validatePackageFilename } from "./names.js";

// Repo, arch and package names: lib/names.test.ts.
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
    ...UNSAFE_NAMES,
    ["vieter.db", 'must end in ".pkg.tar"'],
    ["a-1-1-any.pkg.tar.bz2", 'must end in ".pkg.tar"'],
    ["../../a-1-1-any.pkg.tar", 'must not contain "/"'],
  ])("rejects %j", (filename, reason) => {
    expect(invalidArgumentMessage(() => validatePackageFilename(filename))).toContain(reason);
  });
});
