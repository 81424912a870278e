import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildSpec } from "./build-spec.js";
import { useBuildEnv } from "./testing/build-env.js";
import { engineSkipReason } from "./testing/engine-setup.js";
import { pkgbuild } from "./testing/fixtures.js";
import { type TestServer, startFileServer } from "./testing/http-server.js";

const skip = engineSkipReason();

const FAILING = pkgbuild({ build: "echo 'compiling hello.c'; echo 'hello.c:1: error: boom' >&2; return 3" });
const SLOW = pkgbuild({ build: "echo 'building slowly'; sleep 600" });
// prepare() moves the PKGBUILD's folder away: the isolated build container fails at its `cd`,
// before it prints its step marker.
const FOLDER_GONE = `${pkgbuild()}prepare() { mv -- "$startdir" "$startdir.gone"; }\n`;

describe.skipIf(skip)(`failing, slow and cancelled builds (Podman's Docker API)${skip ? `: ${skip}` : ""}`, () => {
  const env = useBuildEnv("runner-failures");
  let files: TestServer;
  const spec = (name: string): BuildSpec => ({
    kind: "url",
    url: `${files.url}/${name}/PKGBUILD`,
    repo: "test",
    serverUrl: files.url,
    force: true,
    arch: "x86_64",
  });

  beforeAll(async () => {
    files = await startFileServer({
      files: { "/failing/PKGBUILD": FAILING, "/slow/PKGBUILD": SLOW, "/gone/PKGBUILD": FOLDER_GONE },
    });
  });
  afterAll(async () => {
    await files?.close();
  });

  it("reports a failing PKGBUILD as failed in step build, with exit code and last lines", async () => {
    const { result, log } = await env.build(spec("failing"));
    expect(result.outcome, log).toBe("failed");
    expect(result.failedStep).toBe("build");
    expect(result.exitCode).toBeGreaterThan(0);
    expect(result.exitCode).not.toBe(99);
    expect(result.lastLines).toContain("hello.c:1: error: boom");
    expect(result.lastLines.at(-1)).toBe(`==> vieter: build failed in step build (exit code ${result.exitCode})`);
    expect(result.message).toBe(`build failed in step build (exit code ${result.exitCode})`);
    expect(result.packages).toEqual([]);
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("names a failure of the isolated build container before its marker step build, not the last step before it", async () => {
    const { result, log } = await env.build(spec("gone"));
    expect(result.outcome, log).toBe("failed");
    expect(log).toContain("==> vieter: the build step runs without network");
    expect(log).not.toContain("==> vieter: step build");
    expect(result.failedStep, log).toBe("build");
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("reports a source that cannot be fetched as failed in step fetch", async () => {
    const { result, log } = await env.build(spec("missing"));
    expect(result.outcome, log).toBe("failed");
    expect(result.failedStep).toBe("fetch");
    expect(result.lastLines.join("\n")).toMatch(/404/);
  });

  it("kills a build at its timeout: timed_out, and the container is gone", async () => {
    const { result, log } = await env.build(spec("slow"), { timeoutMs: 4_000 });
    expect(result.outcome, log).toBe("timed_out");
    expect(result.failedStep).toBe("timeout");
    expect(result.lastLines).toContain("==> vieter: killed after the timeout of 4 s");
    expect(result.endedAt.getTime() - result.startedAt.getTime()).toBeLessThan(30_000);
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("cancels a running build through its AbortSignal: cancelled, and the container is gone", async () => {
    const abort = new AbortController();
    let sawBuild = false;
    const { result, log } = await env.build(
      spec("slow"),
      {},
      {
        signal: abort.signal,
        onLine(line) {
          if (line.text !== "building slowly") return;
          sawBuild = true;
          abort.abort();
        },
      },
    );
    expect(sawBuild, log).toBe(true);
    expect(result.outcome, log).toBe("cancelled");
    expect(result.failedStep).toBeUndefined();
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });

  it("does not start a container for a build cancelled before it began", async () => {
    const abort = new AbortController();
    abort.abort();
    const { result } = await env.build(spec("slow"), {}, { signal: abort.signal });
    expect(result.outcome).toBe("cancelled");
    expect(await env.containers()).toEqual([]);
    expect(await env.stageImages()).toEqual([]);
  });
});
