import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { BuildSpec } from "./build-spec.js";
import { type ScriptOptions, createBuildScript } from "./script.js";

const TESTDATA = join(import.meta.dirname, "testdata");
// UPDATE_GOLDEN=1 npx vitest run agent/build/script.test.ts rewrites the files; review the diff.
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const GIT: BuildSpec = {
  kind: "git",
  url: "https://example.com/pkgs/hello.git",
  repo: "vieter",
  serverUrl: "https://vieter.example.com/",
  force: false,
  arch: "x86_64",
};
const DEBIAN: ScriptOptions = { upgrade: false, syncDeps: false };
const ARCH: ScriptOptions = { upgrade: true, syncDeps: true };

const CASES: [string, BuildSpec, ScriptOptions][] = [
  ["git", GIT, DEBIAN],
  ["git-branch", { ...GIT, branch: "main" }, DEBIAN],
  ["git-path", { ...GIT, path: "pkgs/hello" }, DEBIAN],
  ["git-path-spaces", { ...GIT, branch: "release 1", path: "my pkgs/hello world" }, DEBIAN],
  ["url", { ...GIT, kind: "url", url: "https://example.com/hello/PKGBUILD", branch: "ignored" }, DEBIAN],
  ["force", { ...GIT, force: true }, DEBIAN],
  ["arch-image", { ...GIT, arch: "aarch64" }, ARCH],
  [
    "hostile",
    {
      ...GIT,
      url: "https://x.example/$(id).git`id`'\"",
      branch: "b'; touch /pwned; echo '",
      path: `it's "$(id)"/\`id\``,
      serverUrl: "http://10.88.0.1:8000/$(id)'",
    },
    DEBIAN,
  ],
];

describe("createBuildScript", () => {
  it.each(CASES)("%s.sh matches its golden file byte for byte", (name, spec, options) => {
    const script = createBuildScript(spec, options);
    const file = join(TESTDATA, `${name}.sh`);
    if (UPDATE) writeFileSync(file, script);
    expect(script).toBe(readFileSync(file, "utf8"));
  });

  it.each(CASES)("%s.sh is valid bash", (_name, spec, options) => {
    execFileSync("bash", ["-n"], { input: createBuildScript(spec, options) });
  });

  it("refuses specs a script cannot use, naming the field", () => {
    const bad: [Partial<BuildSpec>, RegExp][] = [
      [{ kind: "svn" as "git" }, /^kind:/],
      [{ url: "" }, /^url:/],
      [{ url: "https://x\n.git" }, /^url: must not contain control/],
      [{ branch: "a\0b" }, /^branch:/],
      [{ path: "../../etc" }, /^path: .* inside/],
      [{ path: "/etc" }, /^path:/],
      [{ repo: "a]\nServer = http://evil" }, /^repo:/],
      [{ arch: "x86_64/../" }, /^arch:/],
      [{ serverUrl: "ftp://x" }, /^serverUrl:/],
      [{ serverUrl: "http://x/a b" }, /^serverUrl:/],
      [{ serverUrl: "not a url" }, /^serverUrl:/],
    ];
    for (const [change, message] of bad) {
      const call = () => createBuildScript({ ...GIT, ...change }, DEBIAN);
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
  });
});
