/**
 * kill -9 during a publish storm, then restart: every acknowledged package is
 * served, every served entry has its file (with the right digest), and no
 * temp or orphan file is left.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { makePackage } from "../server/pkg/testing/make-package.js";
import { testPkgbuild } from "../server/pkg/testing/pkgbuild.js";
import { cleanupTempDirs } from "../server/pkg/testing/temp-dirs.js";
import { startChildServer, stopChild } from "./setup/child-server.js";

const KEY = "crash-test-key";
function dbEntries(archive: Buffer): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "vieter-crashdb-"));
  writeFileSync(join(dir, "x.db"), archive);
  const names = execFileSync("bsdtar", ["-tf", join(dir, "x.db")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean);
  return new Map(names.map((n) => [n, execFileSync("bsdtar", ["-xOf", join(dir, "x.db"), n], { encoding: "utf8" })]));
}

afterAll(cleanupTempDirs);

describe("crash during a publish storm", () => {
  it("restarts into a consistent repo", { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vieter-crash-"));
    const env = { VIETER_DATA_DIR: dataDir, VIETER_API_KEY: KEY, VIETER_LOG_LEVEL: "ERROR" };
    const files: Buffer[] = [];
    for (let i = 0; i < 4; i++)
      files.push(readFileSync((await makePackage({ pkgbuild: testPkgbuild(`crash-${i}`, "1") }))[0]!));

    const first = await startChildServer(env);
    const acked: { repo: string; name: string }[] = [];
    let stop = false;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        const n = next++;
        const repo = `crash${Math.floor(n / 4)}`;
        try {
          const res = await fetch(`${first.baseUrl}/${repo}/publish`, {
            method: "POST",
            headers: { "x-api-key": KEY },
            body: files[n % 4],
          });
          if (res.status === 200) acked.push({ repo, name: `crash-${n % 4}` });
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 20));
    await stopChild(first.child, "SIGKILL");
    stop = true;
    await Promise.all(workers);

    const second = await startChildServer(env);
    try {
      const repos = new Set(acked.map((a) => a.repo));
      const served = new Map<string, Map<string, string>>();
      for (let r = 0; r * 4 < next; r++) {
        const res = await fetch(`${second.baseUrl}/crash${r}/x86_64/crash${r}.db`);
        if (res.status === 200) served.set(`crash${r}`, dbEntries(Buffer.from(await res.arrayBuffer())));
        else expect(repos.has(`crash${r}`)).toBe(false);
      }
      for (const a of acked) expect(served.get(a.repo)?.has(`${a.name}-1-1/desc`), `${a.repo}/${a.name}`).toBe(true);
      // Every served entry has its file, with the digest the entry states.
      const digests = new Set<string>();
      for (const [repo, entries] of served) {
        for (const [path, desc] of entries) {
          const filename = /%FILENAME%\n(.+)\n/.exec(desc)![1]!;
          const sha = /%SHA256SUM%\n([0-9a-f]{64})\n/.exec(desc)![1]!;
          const res = await fetch(`${second.baseUrl}/${repo}/x86_64/${filename}`);
          expect(res.status, path).toBe(200);
          expect(
            createHash("sha256")
              .update(Buffer.from(await res.arrayBuffer()))
              .digest("hex"),
          ).toBe(sha);
          digests.add(sha);
        }
      }
      expect(readdirSync(join(dataDir, "pkgs", "tmp"))).toEqual([]);
      expect(readdirSync(join(dataDir, "pkgs", "pool")).sort()).toEqual([...digests].sort());
    } finally {
      await stopChild(second.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
