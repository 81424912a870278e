import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSettings } from "./config.js";
import { UsageError } from "./errors.js";

const dir = mkdtempSync(join(tmpdir(), "vieter-cli-config-"));
const file = join(dir, "vieterrc");
writeFileSync(file, 'address = "https://file.example/"\napi_key = "from-file"\nport = 8000\n');
const none = join(dir, "absent");

describe("client settings", () => {
  it("uses the default address and says so", () => {
    const s = resolveSettings({ configFile: none, configFileGiven: false, env: { VIETER_API_KEY: "k" } });
    expect(s).toEqual({
      address: "http://localhost:8000",
      addressSource: "the default",
      apiKey: "k",
      apiKeySource: "VIETER_API_KEY",
    });
  });

  it("reads the file (ignoring the server's keys), trims a trailing slash, and names the file", () => {
    const s = resolveSettings({ configFile: file, configFileGiven: true, env: {} });
    expect(s).toEqual({
      address: "https://file.example",
      addressSource: `config file ${file}`,
      apiKey: "from-file",
      apiKeySource: `config file ${file}`,
    });
  });

  it("lets env beat the file and flags beat env, naming a _FILE by its path", () => {
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, "from-key-file\n");
    const env = { VIETER_ADDRESS: "http://env:1", VIETER_API_KEY_FILE: keyFile };
    expect(resolveSettings({ configFile: file, configFileGiven: false, env })).toMatchObject({
      address: "http://env:1",
      addressSource: "VIETER_ADDRESS",
      apiKey: "from-key-file",
      apiKeySource: `VIETER_API_KEY_FILE (${keyFile})`,
    });
    // A bad env value is not even looked at when a flag replaces it.
    const flags = { address: "http://flag:2", apiKey: "from-flag" };
    const bad = { VIETER_ADDRESS: "not a url", VIETER_API_KEY: "x", VIETER_API_KEY_FILE: keyFile };
    expect(resolveSettings({ configFile: file, configFileGiven: false, env: bad, ...flags })).toEqual({
      address: "http://flag:2",
      addressSource: "the --address flag",
      apiKey: "from-flag",
      apiKeySource: "the --api-key flag",
    });
  });

  it("refuses a missing key and an address that is not an http(s) URL", () => {
    expect(() => resolveSettings({ configFile: none, configFileGiven: false, env: {} })).toThrow(UsageError);
    expect(() =>
      resolveSettings({ configFile: none, configFileGiven: false, env: {}, apiKey: "k", address: "ftp://x" }),
    ).toThrow('--address "ftp://x" must start with http:// or https://');
    expect(() =>
      resolveSettings({
        configFile: none,
        configFileGiven: false,
        env: { VIETER_ADDRESS: "localhost:8000" },
        apiKey: "k",
      }),
    ).toThrow(/invalid address "localhost:8000" from env VIETER_ADDRESS/);
  });
});
