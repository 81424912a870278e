/**
 * `vieter server` as a newcomer runs it: no config at all, data under ./data,
 * an API key generated once (mode 0600) and reused; a bad config value stops
 * it with one line.
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runChildServerToExit, startChildServer, stopChild } from "./setup/child-server.js";

describe("vieter server without configuration", () => {
  it("generates a key once, stores it 0600 under ./data, reuses it, and exits cleanly on SIGTERM", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vieter-first-"));
    const first = await startChildServer({}, { cwd });
    const keyFile = join(cwd, "data", "api-key");
    expect(first.output()).toContain(`API key stored in ${keyFile}`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(cwd, "data", "vieter.sqlite")).isFile()).toBe(true);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key.length).toBeGreaterThanOrEqual(32);

    const health = await fetch(`http://127.0.0.1:${first.port}/health`);
    expect(health.status).toBe(200);
    const unauth = await fetch(`http://127.0.0.1:${first.port}/vieter.v1.TargetService/ListTargets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(unauth.status).toBe(401);
    const authed = await fetch(`http://127.0.0.1:${first.port}/vieter.v1.TargetService/ListTargets`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: "{}",
    });
    expect(authed.status).toBe(200);
    expect(await stopChild(first.child)).toBe(0);

    const second = await startChildServer({}, { cwd });
    expect(readFileSync(keyFile, "utf8").trim()).toBe(key);
    expect(await stopChild(second.child)).toBe(0);
  });

  it("stops with one line naming a bad key, its value and what is allowed", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vieter-bad-"));
    const { code, stderr } = await runChildServerToExit({ VIETER_PORT: "eighty" }, { cwd });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'config: invalid port "eighty" from env VIETER_PORT: must be an integer from 0 to 65535',
    );
  });

  it("refuses a schedule that never fires", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vieter-bad-"));
    const { code, stderr } = await runChildServerToExit({ VIETER_GLOBAL_SCHEDULE: "0 0 30 2" }, { cwd });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^config: invalid global_schedule "0 0 30 2" from env VIETER_GLOBAL_SCHEDULE: /);
  });

  it("refuses default_arch any", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "vieter-bad-"));
    const { code, stderr } = await runChildServerToExit({ VIETER_DEFAULT_ARCH: "any" }, { cwd });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'config: invalid default_arch "any" from env VIETER_DEFAULT_ARCH: must be a real architecture, not any',
    );
  });
});
