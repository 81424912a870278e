import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildSpec } from "./build-spec.js";
import { useBuildEnv } from "./testing/build-env.js";
import { engineSkipReason } from "./testing/engine-setup.js";
import { pkgbuild } from "./testing/fixtures.js";
import { type TestServer, startFileServer } from "./testing/http-server.js";

const skip = engineSkipReason();

describe.skipIf(skip)(`the build step's network (Podman's Docker API)${skip ? `: ${skip}` : ""}`, () => {
  const env = useBuildEnv("runner-network");
  // Filled once the server's port is known: the PKGBUILDs name it.
  const served: Record<string, string> = {};
  let files: TestServer;
  const spec = (): BuildSpec => ({
    kind: "url",
    url: `${files.url}/net/PKGBUILD`,
    repo: "test",
    serverUrl: files.url,
    force: false,
    arch: "x86_64",
  });

  beforeAll(async () => {
    files = await startFileServer({ files: served });
    const { port } = new URL(files.url);
    served["/probe"] = "reached\n";
    served["/net/PKGBUILD"] = pkgbuild({
      names: ["vieter-net"],
      pkgver: "2.5",
      // build() tries HTTP and a plain TCP connect to the same server, and says what it got.
      build: [
        `if curl -sSf -o /dev/null ${files.url}/probe; then echo 'probe: http reached'; else echo 'probe: http failed'; fi`,
        `  if (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; then echo 'probe: tcp reached'; else echo 'probe: tcp failed'; fi`,
        `  printf '#!/bin/sh\\necho hello\\n' >hello`,
      ].join("\n"),
    });
  });
  afterAll(async () => {
    await files?.close();
  });

  it("runs build() without network while fetch and the version check had it", async () => {
    const { result, log } = await env.build(spec());
    expect(result.outcome, log).toBe("succeeded");
    expect(result.packages.map((p) => basename(p))).toEqual(["vieter-net-2.5-1-any.pkg.tar.gz"]);
    expect(log.split("\n")).toEqual(expect.arrayContaining(["probe: http failed", "probe: tcp failed"]));
    expect(log).toContain("==> vieter: the build step runs without network");
    expect(files.requests).toContain("GET /net/PKGBUILD");
    expect(files.requests).toContain("HEAD /test/x86_64/vieter-net-2.5-1");
    expect(files.requests).not.toContain("GET /probe");
    const steps = log.split("\n").filter((l) => l.startsWith("==> vieter: step "));
    expect(steps).toEqual(["setup", "fetch", "prepare", "version-check", "build"].map((s) => `==> vieter: step ${s}`));
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("lets build() use the network when isolation is off", async () => {
    files.requests.length = 0;
    const { result, log } = await env.build(spec(), { isolateBuild: false });
    expect(result.outcome, log).toBe("succeeded");
    expect(log.split("\n")).toEqual(expect.arrayContaining(["probe: http reached", "probe: tcp reached"]));
    expect(log).not.toContain("without network");
    expect(files.requests).toContain("GET /probe");
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("ends a skipped build after the first container: no build step, nothing left", async () => {
    const present = await startFileServer({ files: served, present: ["/test/x86_64/vieter-net-2.5-1"] });
    try {
      const { result, log } = await env.build({ ...spec(), serverUrl: present.url });
      expect(result.outcome, log).toBe("skipped");
      expect(log).not.toContain("==> vieter: step build");
      expect(log).not.toContain("without network");
      expect(await env.containers()).toEqual([]);
      expect(await env.stageImages()).toEqual([]);
    } finally {
      await present.close();
    }
  });
});
