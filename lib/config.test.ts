import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";
import { boolKey, enumKey, intKey, listKey, stringKey } from "./config-values.js";

const schema = {
  port: intKey(8000, 1, 65535),
  api_key: stringKey(undefined, undefined, { secret: true }),
  name: stringKey("x"),
  collect_metrics: boolKey(false),
  log_level: enumKey("WARN", ["ERROR", "WARN", "INFO"] as const),
  arch: listKey(["x86_64"]),
};

function tmpFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "vieter-config-"));
  const file = join(dir, "vieter.toml");
  writeFileSync(file, content);
  return file;
}

describe("loadConfig precedence", () => {
  const file = tmpFile('port = 8001\napi_key = "from-file"\nname = "file"\nunknown_key = 1\n');

  it("uses defaults when nothing is set, except required keys", () => {
    expect(() => loadConfig(schema, { env: {} })).toThrow(/api_key is required/);
    const { values } = loadConfig(schema, { env: { VIETER_API_KEY: "k" } });
    expect(values).toMatchObject({
      port: 8000,
      name: "x",
      collect_metrics: false,
      log_level: "WARN",
      arch: ["x86_64"],
    });
  });

  it("file < env < env _FILE", () => {
    expect(loadConfig(schema, { file, env: {} }).values).toMatchObject({
      port: 8001,
      api_key: "from-file",
      name: "file",
    });
    expect(loadConfig(schema, { file, env: { VIETER_PORT: "8002" } }).values.port).toBe(8002);
    const secret = tmpFile("from-secret-file\n");
    const { values, sources } = loadConfig(schema, { file, env: { VIETER_API_KEY_FILE: secret } });
    expect(values.api_key).toBe("from-secret-file");
    expect(sources.api_key).toBe("env VIETER_API_KEY_FILE");
    expect(sources.name).toBe(`file ${file}`);
  });

  it("refuses X and X_FILE together", () => {
    const secret = tmpFile("s");
    expect(() => loadConfig(schema, { file, env: { VIETER_API_KEY: "a", VIETER_API_KEY_FILE: secret } })).toThrow(
      "config: both VIETER_API_KEY and VIETER_API_KEY_FILE are set; use only one",
    );
  });

  it("names an unreadable _FILE", () => {
    expect(() => loadConfig(schema, { file, env: { VIETER_API_KEY_FILE: "/nonexistent/secret" } })).toThrow(
      /VIETER_API_KEY_FILE "\/nonexistent\/secret"/,
    );
  });

  it("ignores a missing default file but not a named one", () => {
    expect(loadConfig(schema, { file: "/nonexistent/x.toml", env: { VIETER_API_KEY: "k" } }).values.port).toBe(8000);
    expect(() => loadConfig(schema, { file: "/nonexistent/x.toml", fileRequired: true, env: {} })).toThrow(ConfigError);
  });
});

describe("bad values give one line naming key, value and what is allowed", () => {
  const env = { VIETER_API_KEY: "k" };
  it.each([
    [{ VIETER_PORT: "abc" }, 'config: invalid port "abc" from env VIETER_PORT: must be an integer from 1 to 65535'],
    [{ VIETER_PORT: "70000" }, 'config: invalid port "70000" from env VIETER_PORT: must be an integer from 1 to 65535'],
    [{ VIETER_PORT: "80.5" }, 'config: invalid port "80.5" from env VIETER_PORT: must be an integer from 1 to 65535'],
    [{ VIETER_PORT: "" }, 'config: invalid port "" from env VIETER_PORT: must be an integer from 1 to 65535'],
    [
      { VIETER_COLLECT_METRICS: "maybe" },
      'config: invalid collect_metrics "maybe" from env VIETER_COLLECT_METRICS: must be true or false',
    ],
    [
      { VIETER_LOG_LEVEL: "LOUD" },
      'config: invalid log_level "LOUD" from env VIETER_LOG_LEVEL: must be one of ERROR, WARN, INFO',
    ],
  ])("%o", (extra, message) => {
    let err: unknown;
    try {
      loadConfig(schema, { env: { ...env, ...extra } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("never echoes a secret", () => {
    const file = tmpFile("api_key = 12345\n");
    expect(() => loadConfig(schema, { file, env: {} })).toThrow(
      /invalid api_key \(secret\) from file .*: must be a string/,
    );
  });

  it("reports invalid TOML with the file name", () => {
    const file = tmpFile("port = = 3\n");
    expect(() => loadConfig(schema, { file, env })).toThrow(new RegExp(`^config: ${file} is not valid TOML`));
  });

  it("takes typed TOML values and comma lists from env", () => {
    const file = tmpFile('port = 9000\ncollect_metrics = true\narch = ["x86_64", "aarch64"]\napi_key = "k"\n');
    expect(loadConfig(schema, { file, env: {} }).values).toMatchObject({
      port: 9000,
      collect_metrics: true,
      arch: ["x86_64", "aarch64"],
    });
    expect(loadConfig(schema, { file, env: { VIETER_ARCH: "a, b" } }).values.arch).toEqual(["a", "b"]);
    const bad = tmpFile('arch = [1, 2]\napi_key = "k"\n');
    expect(() => loadConfig(schema, { file: bad, env: {} })).toThrow(/invalid arch \[1,2\]/);
  });
});
