import { execFileSync } from "node:child_process";
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildSpec } from "./build-spec.js";
import { useBuildEnv } from "./testing/build-env.js";
import { engineSkipReason } from "./testing/engine-setup.js";
import { gitRepo, pkgbuild } from "./testing/fixtures.js";
import { type TestServer, startFileServer, startGitServer } from "./testing/http-server.js";

const skip = engineSkipReason();

describe.skipIf(skip)(`builds in real containers (Podman's Docker API)${skip ? `: ${skip}` : ""}`, () => {
  const env = useBuildEnv("runner");
  let git: TestServer;
  let files: TestServer;
  let spec: BuildSpec;

  beforeAll(async () => {
    gitRepo(
      env.dir,
      "hello",
      { "README.md": "no PKGBUILD on main\n" },
      { release: { "pkgs/hello world/PKGBUILD": pkgbuild({ names: ["vieter-git-hello"], pkgver: "1.2" }) } },
    );
    git = await startGitServer(env.dir);
    files = await startFileServer();
    spec = {
      kind: "git",
      url: `${git.url}/hello.git`,
      branch: "release",
      path: "pkgs/hello world",
      repo: "test",
      serverUrl: files.url,
      force: false,
      arch: "x86_64",
    };
  });
  afterAll(async () => {
    await git?.close();
    await files?.close();
  });

  it("builds a git target (branch, subdirectory) into a package pacman can read", async () => {
    const { result, log } = await env.build(spec);
    expect(result.outcome, log).toBe("succeeded");
    expect(result.exitCode).toBe(0);
    expect(result.packages.map((p) => basename(p))).toEqual(["vieter-git-hello-1.2-1-any.pkg.tar.gz"]);
    const info = execFileSync("pacman", ["-Qip", result.packages[0]!], { encoding: "utf8" });
    expect(info).toMatch(/^Name\s+: vieter-git-hello$/m);
    expect(info).toMatch(/^Version\s+: 1\.2-1$/m);
    // Every step is marked in the log, in order, and the shallow clone went through smart HTTP.
    const steps = log.split("\n").filter((l) => l.startsWith("==> vieter: step "));
    expect(steps).toEqual(["setup", "fetch", "prepare", "version-check", "build"].map((s) => `==> vieter: step ${s}`));
    expect(git.requests).toContain("POST /hello.git/git-upload-pack");
    expect(result.endedAt.getTime()).toBeGreaterThan(result.startedAt.getTime());
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("builds a url target on the default bridge network, from a PKGBUILD served by the host", async () => {
    // On Podman's bridge the host is 10.88.0.1; a server listening on all addresses is reachable there.
    const bridged = await startFileServer({
      host: "0.0.0.0",
      urlHost: "10.88.0.1",
      files: { "/hello/PKGBUILD": pkgbuild({ names: ["vieter-url-hello"] }) },
    });
    try {
      const url = `${bridged.url}/hello/PKGBUILD`;
      const { result, log } = await env.build(
        { ...spec, kind: "url", url, serverUrl: bridged.url },
        { network: "bridge" },
      );
      expect(result.outcome, log).toBe("succeeded");
      expect(result.packages.map((p) => basename(p))).toEqual(["vieter-url-hello-1.0-1-any.pkg.tar.gz"]);
      expect(bridged.requests).toEqual(["GET /hello/PKGBUILD", "HEAD /test/x86_64/vieter-url-hello-1.0-1"]);
      expect(await env.containers()).toEqual([]);
    } finally {
      await bridged.close();
    }
  });

  it("passes hostile branch and path values to git and cd as plain data", async () => {
    // A valid git branch name (no spaces), full of shell syntax.
    const branch = `x';echo\${IFS}INJECTED;'$(echo\${IFS}INJECTED)\`echo\${IFS}INJECTED\``;
    const path = `it's "$(echo INJECTED)"; echo INJECTED`;
    gitRepo(env.dir, "hostile", { "README.md": "\n" }, { [branch]: { [`${path}/PKGBUILD`]: pkgbuild() } });
    const { result, log } = await env.build({ ...spec, url: `${git.url}/hostile.git`, branch, path });
    expect(result.outcome, log).toBe("succeeded");
    // Had any value been evaluated, a line would read exactly INJECTED.
    expect(log.split("\n")).not.toContain("INJECTED");
    expect(result.packages.map((p) => basename(p))).toEqual(["vieter-hello-1.0-1-any.pkg.tar.gz"]);
  });
});
