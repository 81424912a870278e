/**
 * How the CLI finds its server and key (flags > environment > ~/.vieterrc or
 * -f), and the one-line messages when the server is unreachable or refuses
 * the key, naming the address and where the key came from.
 */
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../setup/server.js";
import { type CliRunner, createCliRunner } from "./setup/run-cli.js";

let srv: TestServer;
let cli: CliRunner;
let deadAddress: string;
beforeAll(async () => {
  srv = await startTestServer();
  // No server at all: a fresh runner with neither address nor key in its environment.
  cli = await createCliRunner();
  deadAddress = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  await srv.stop();
  await cli.cleanup();
});

/** A port that was free a moment ago and has nothing listening on it now. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const refused = (from: string) =>
  `error: the Vieter server at ${srv.baseUrl} refused the API key from ${from} (unauthenticated)\n`;

describe("client configuration", () => {
  it("reads address and key from ~/.vieterrc, and from -f", async () => {
    await writeFile(join(cli.home, ".vieterrc"), `address = "${srv.baseUrl}/"\napi_key = "${srv.apiKey}"\nport = 1\n`);
    const other = join(cli.home, "other.toml");
    await writeFile(other, `address = "${srv.baseUrl}"\napi_key = "${srv.apiKey}"\n`);
    const [home, file] = await Promise.all([
      cli.run(["repos", "list", "--json"]),
      cli.run(["-f", other, "repos", "list", "--json"]),
    ]);
    expect(home).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(home.stdout)).toEqual({ repos: [] });
    expect(file).toMatchObject({ code: 0, stderr: "" });
  });

  it("lets the environment override the file and flags override both, naming the key's source when refused", async () => {
    await writeFile(join(cli.home, ".vieterrc"), `address = "${srv.baseUrl}"\napi_key = "wrong-in-file"\n`);
    const keyFile = join(cli.home, "key");
    await writeFile(keyFile, "wrong-in-key-file\n");
    const good = join(cli.home, "good-key");
    await writeFile(good, `${srv.apiKey}\n`);
    const [fromFile, fromEnv, fromEnvFile, fromFlag, envFixes, flagFixes] = await Promise.all([
      cli.run(["repos", "list"]),
      cli.run(["repos", "list"], { VIETER_API_KEY: "wrong-in-env" }),
      cli.run(["repos", "list"], { VIETER_API_KEY_FILE: keyFile }),
      cli.run(["--api-key", "wrong-flag", "repos", "list"], { VIETER_API_KEY: srv.apiKey }),
      cli.run(["repos", "list", "-r"], { VIETER_API_KEY_FILE: good }),
      cli.run(["repos", "list", "-r", "--api-key", srv.apiKey, "--address", srv.baseUrl], {
        VIETER_ADDRESS: deadAddress,
      }),
    ]);
    expect(fromFile).toMatchObject({
      code: 3,
      stdout: "",
      stderr: refused(`config file ${join(cli.home, ".vieterrc")}`),
    });
    expect(fromEnv).toMatchObject({ code: 3, stderr: refused("VIETER_API_KEY") });
    expect(fromEnvFile).toMatchObject({ code: 3, stderr: refused(`VIETER_API_KEY_FILE (${keyFile})`) });
    expect(fromFlag).toMatchObject({ code: 3, stderr: refused("the --api-key flag") });
    expect(envFixes).toMatchObject({ code: 0, stderr: "" });
    expect(flagFixes).toMatchObject({ code: 0, stderr: "" });
  });

  it("names the key's source when publish is refused too", async () => {
    const res = await cli.run(["repos", "publish", "x", join(cli.home, "key")], {
      VIETER_ADDRESS: srv.baseUrl,
      VIETER_API_KEY: "nope",
    });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain(
      `error: the Vieter server at ${srv.baseUrl} refused the API key from VIETER_API_KEY\n`,
    );
  });

  it("refuses to run without a key, with a missing -f file, and with both -r and --json (exit 2)", async () => {
    const [noKey, noFile, both] = await Promise.all([
      cli.run(["targets", "list"], { VIETER_ADDRESS: srv.baseUrl, HOME: join(cli.home, "empty") }),
      cli.run(["-f", "/nonexistent/vieter.toml", "targets", "list"]),
      cli.run(["targets", "list", "-r", "--json"], { VIETER_API_KEY: srv.apiKey }),
    ]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(
      /^error: no API key: set api_key in .*\.vieterrc, VIETER_API_KEY or VIETER_API_KEY_FILE/,
    );
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('cannot read config file "/nonexistent/vieter.toml"');
    expect(both).toMatchObject({ code: 2, stderr: "error: choose one of -r/--raw and --json\n" });
  });
});

describe("an unreachable server", () => {
  it("gets one line naming the address and where it came from (exit 3)", async () => {
    const env = { VIETER_API_KEY: "k" };
    const [flag, fromEnv, publish] = await Promise.all([
      cli.run(["--address", deadAddress, "targets", "list"], env),
      cli.run(["schedule", "0", "3"], { ...env, VIETER_ADDRESS: deadAddress }),
      cli.run(["repos", "publish", "x", join(cli.home, "key")], { ...env, VIETER_ADDRESS: deadAddress }),
    ]);
    const line = (from: string) =>
      `error: cannot reach the Vieter server at ${deadAddress} (connection refused); is it running? The address comes from ${from}.\n`;
    expect(flag).toMatchObject({ code: 3, stdout: "", stderr: line("the --address flag") });
    expect(fromEnv).toMatchObject({ code: 3, stdout: "", stderr: line("VIETER_ADDRESS") });
    expect(publish.code).toBe(3);
    expect(publish.stderr).toContain(line("VIETER_ADDRESS"));
  });
});
