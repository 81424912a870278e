import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../lib/config.js";
import { loadAgentConfig } from "./config.js";

const REQUIRED = { VIETER_ADDRESS: "http://127.0.0.1:8000", VIETER_AGENT_TOKEN: "0123456789abcdef" };
const load = (env: Record<string, string>) => loadAgentConfig(undefined, false, { ...REQUIRED, ...env });
const dir = mkdtempSync(join(tmpdir(), "vieter-agent-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ConfigError loading `env` (or the file `toml`) throws. */
function refusal(env: Record<string, string>, toml?: string): Error {
  const file = join(dir, "agent.toml");
  if (toml !== undefined) writeFileSync(file, toml);
  try {
    if (toml === undefined) load(env);
    else loadAgentConfig(file, true, REQUIRED);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as Error;
  }
  throw new Error("the configuration was accepted");
}

describe("agent config: build_network_isolation", () => {
  it("is on by default, with the bridge network for the steps before the build", () => {
    expect(load({})).toMatchObject({ build_network: "bridge", build_network_isolation: true });
  });

  it.each([
    ["false", false],
    ["OFF", false],
    [" 0 ", false],
    ["yes", true],
  ])("accepts %j from the environment as %s", (raw, value) => {
    expect(load({ VIETER_BUILD_NETWORK_ISOLATION: raw }).build_network_isolation).toBe(value);
  });

  it("accepts a TOML boolean", () => {
    const file = join(dir, "ok.toml");
    writeFileSync(file, "build_network_isolation = false\n");
    expect(loadAgentConfig(file, true, REQUIRED).build_network_isolation).toBe(false);
  });

  it.each(["", "maybe", "false; rm -rf /", "true\nbuild_network = host", "2", "nein"])(
    "refuses %j from the environment in one line, naming the key",
    (raw) => {
      const err = refusal({ VIETER_BUILD_NETWORK_ISOLATION: raw });
      expect(err.message).toMatch(/build_network_isolation/);
      expect(err.message).toMatch(/must be true or false/);
      expect(err.message).not.toContain("\n");
    },
  );

  it.each([
    'build_network_isolation = "sometimes"\n',
    "build_network_isolation = 1\n",
    "build_network_isolation = []\n",
  ])("refuses %j in the file", (toml) => {
    const err = refusal({}, toml);
    expect(err.message).toMatch(/build_network_isolation/);
    expect(err.message).not.toContain("\n");
  });
});

describe("agent config: build container limits", () => {
  it("sets no limits by default", () => {
    expect(load({})).toMatchObject({ build_memory_limit: 0, build_cpus: 0 });
  });

  it("reads MiB and decimal CPUs from the environment and the file", () => {
    expect(load({ VIETER_BUILD_MEMORY_LIMIT: "4096", VIETER_BUILD_CPUS: "1.5" })).toMatchObject({
      build_memory_limit: 4096,
      build_cpus: 1.5,
    });
    const file = join(dir, "limits.toml");
    writeFileSync(file, "build_memory_limit = 2048\nbuild_cpus = 2\n");
    expect(loadAgentConfig(file, true, REQUIRED)).toMatchObject({ build_memory_limit: 2048, build_cpus: 2 });
  });

  it.each([
    ["VIETER_BUILD_MEMORY_LIMIT", "12", /build_memory_limit "12".*0 \(no limit\) or from 64/],
    ["VIETER_BUILD_MEMORY_LIMIT", "-1", /build_memory_limit "-1".*integer from 0/],
    ["VIETER_BUILD_MEMORY_LIMIT", "4g", /build_memory_limit "4g"/],
    ["VIETER_BUILD_MEMORY_LIMIT", "1e9", /build_memory_limit "1e9"/],
    ["VIETER_BUILD_CPUS", "-0.5", /build_cpus "-0.5".*number from 0 to 1024/],
    ["VIETER_BUILD_CPUS", "1.2345", /build_cpus "1.2345".*at most 3 decimals/],
    ["VIETER_BUILD_CPUS", "NaN", /build_cpus "NaN"/],
    ["VIETER_BUILD_CPUS", "Infinity", /build_cpus "Infinity"/],
    ["VIETER_BUILD_CPUS", "2000", /build_cpus "2000"/],
    ["VIETER_BUILD_CPUS", "1,5", /build_cpus "1,5"/],
    ["VIETER_BUILD_CPUS", "", /build_cpus ""/],
  ])("refuses %s=%j in one line naming key and value", (key, raw, message) => {
    const err = refusal({ [key]: raw });
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
  });

  it.each(['build_cpus = "lots"\n', "build_cpus = -1\n", "build_memory_limit = 1.5\n", "build_memory_limit = []\n"])(
    "refuses %j in the file",
    (toml) => {
      const err = refusal({}, toml);
      expect(err.message).toMatch(/build_(cpus|memory_limit)/);
      expect(err.message).not.toContain("\n");
    },
  );
});
