import { basename } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { BuildSpec } from "./build-spec.js";
import { EXIT_SKIPPED } from "./steps.js";
import { useBuildEnv } from "./testing/build-env.js";
import { engineSkipReason } from "./testing/engine-setup.js";
import { pkgbuild } from "./testing/fixtures.js";
import { type TestServer, startFileServer } from "./testing/http-server.js";

const skip = engineSkipReason();

// A PKGBUILD with an epoch whose pkgver() moves the version on. makepkg
// --nobuild rewrites pkgver and, as the version changed, resets pkgrel to 1:
// the full version the check must ask for is 2:1.0.r5-1 (Vieter 0.6 asked for
// `$pkgname-$pkgver-$pkgrel`, without epoch, and rebuilt such packages forever).
const EPOCH = pkgbuild({ names: ["vieter-epoch"], pkgver: "0.1", pkgrel: 3, epoch: 2, pkgverFunction: "1.0.r5" });
const SPLIT = pkgbuild({ names: ["vieter-split-a", "vieter-split-b"], pkgver: "4.0" });

describe.skipIf(skip)(
  `version check against a fake repo server (Podman's Docker API)${skip ? `: ${skip}` : ""}`,
  () => {
    const env = useBuildEnv("version-check");
    const servers: TestServer[] = [];
    const serve = async (options: Parameters<typeof startFileServer>[0]) => {
      const server = await startFileServer({
        ...options,
        files: { "/epoch/PKGBUILD": EPOCH, "/split/PKGBUILD": SPLIT },
      });
      servers.push(server);
      const spec = (name: string): BuildSpec => ({
        kind: "url",
        url: `${server.url}/${name}/PKGBUILD`,
        repo: "test",
        serverUrl: server.url,
        force: false,
        arch: "x86_64",
      });
      return { server, spec };
    };
    afterAll(async () => {
      for (const server of servers) await server.close();
    });

    it("skips when the version with epoch (after pkgver()) is already in the repo", async () => {
      const { server, spec } = await serve({ present: ["/test/x86_64/vieter-epoch-2:1.0.r5-1"] });
      const { result, log } = await env.build(spec("epoch"));
      expect(result.outcome, log).toBe("skipped");
      expect(result.exitCode).toBe(EXIT_SKIPPED);
      expect(result.skipReason).toBe("already in test/x86_64: vieter-epoch-2:1.0.r5-1");
      expect(result.packages).toEqual([]);
      expect(server.requests).toContain("HEAD /test/x86_64/vieter-epoch-2:1.0.r5-1");
      expect(log).not.toContain("==> vieter: step build");
      expect(await env.containers()).toEqual([]);
    });

    it("builds anyway with force, without asking the repo", async () => {
      const { server, spec } = await serve({ present: ["/test/x86_64/vieter-epoch-2:1.0.r5-1"] });
      const { result, log } = await env.build({ ...spec("epoch"), force: true });
      expect(result.outcome, log).toBe("succeeded");
      expect(result.packages.map((p) => basename(p))).toEqual(["vieter-epoch-2:1.0.r5-1-any.pkg.tar.gz"]);
      expect(server.requests.filter((r) => r.startsWith("HEAD"))).toEqual([]);
    });

    it("skips a split package only when every one of its packages is in the repo", async () => {
      const all = await serve({ present: ["/test/x86_64/vieter-split-a-4.0-1", "/test/x86_64/vieter-split-b-4.0-1"] });
      const skipped = await env.build(all.spec("split"));
      expect(skipped.result.outcome, skipped.log).toBe("skipped");
      expect(skipped.result.skipReason).toBe("already in test/x86_64: vieter-split-a-4.0-1 vieter-split-b-4.0-1");

      // One missing: the build goes on (stopped once it reaches the build step, to keep the test short).
      const some = await serve({ present: ["/test/x86_64/vieter-split-a-4.0-1"] });
      const abort = new AbortController();
      const built = await env.build(
        some.spec("split"),
        {},
        {
          signal: abort.signal,
          onLine: (line) => line.text === "==> vieter: step build" && abort.abort(),
        },
      );
      expect(built.result.outcome, built.log).toBe("cancelled");
      expect(some.server.requests).toContain("HEAD /test/x86_64/vieter-split-b-4.0-1");
      expect(built.log).toContain("==> vieter: step build");
    });

    it("fails the version-check step when the repo answers neither 200 nor 404", async () => {
      const { spec } = await serve({ headStatus: 500 });
      const { result, log } = await env.build(spec("split"));
      expect(result.outcome, log).toBe("failed");
      expect(result.failedStep).toBe("version-check");
      expect(result.exitCode).toBe(1);
      expect(result.lastLines).toContain("==> vieter: the repository answered HTTP 500 for vieter-split-a-4.0-1");
    });
  },
);
