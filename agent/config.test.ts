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
