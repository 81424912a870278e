/**
 * `vieter aur …` as a child process against recorded AUR responses (a local
 * HTTP server replays what aur.archlinux.org answered; the AUR itself is not
 * reachable here) and a real Vieter server for the targets `aur add` creates.
 */
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../setup/server.js";
import { type RecordedAur, startRecordedAur } from "./setup/recorded-aur.js";
import { type CliRunner, createCliRunner, rawRows } from "./setup/run-cli.js";

let srv: TestServer;
let aur: RecordedAur;
let cli: CliRunner;
beforeAll(async () => {
  [srv, aur] = await Promise.all([startTestServer(), startRecordedAur()]);
  cli = await createCliRunner(srv);
});
afterAll(async () => {
  await Promise.all([srv.stop(), aur.close(), cli.cleanup()]);
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("vieter aur search (recorded AUR responses)", () => {
  it("lists matches most voted first as a table, raw rows and JSON", async () => {
    const [table, raw, json] = await Promise.all([
      cli.run(["aur", "search", "paru", "--aur-url", aur.url]),
      cli.run(["aur", "search", "paru", "-r"], { VIETER_AUR_URL: aur.url }),
      cli.run(["aur", "search", "paru", "--json", "--aur-url", `${aur.url}/`]),
    ]);
    expect(table).toMatchObject({ code: 0, stderr: "" });
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+VOTES\s+UPDATED\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^paru {6}2\.0\.4-1\s+1142\s+2024-10-21\s+Feature packed AUR helper$/);
    expect(lines[3]).toMatch(/^paru-git\s+2\.0\.4\.r12\.g6c4e0dd-1 \(out of date\)\s+104\s/);
    expect(rawRows(raw.stdout).map((r) => r.slice(0, 3))).toEqual([
      ["paru", "2.0.4-1", "1142"],
      ["paru-bin", "2.0.4-1", "364"],
      ["paru-git", "2.0.4.r12.g6c4e0dd-1", "104"],
    ]);
    expect(JSON.parse(json.stdout).results[2]).toEqual({
      name: "paru-git",
      base: "paru-git",
      version: "2.0.4.r12.g6c4e0dd-1",
      description: "Feature packed AUR helper",
      url: "https://github.com/morganamilo/paru",
      votes: 104,
      popularity: 0.957733,
      maintainer: "Morganamilo",
      outOfDate: "2024-12-01T00:00:00.000Z",
      lastModified: "2024-11-18T13:55:17.000Z",
    });
    expect(aur.requests).toContain("/rpc/v5/search/paru?by=name-desc");
  });

  it("reads aur_url from the config file, needs no API key, and says when nothing matches", async () => {
    const file = join(cli.home, "aur.toml");
    await writeFile(file, `aur_url = "${aur.url}"\n`);
    const res = await cli.run(["-f", file, "aur", "search", "nothing-like-this"], { VIETER_API_KEY: undefined });
    expect(res).toEqual({ code: 0, stdout: 'No AUR package matches "nothing-like-this".\n', stderr: "" });
  });

  it("reports the AUR's own error, an unreachable AUR and a too-short term", async () => {
    const closed = await closedPort();
    const [tooMany, unreachable, short] = await Promise.all([
      cli.run(["aur", "search", "py", "--aur-url", aur.url]),
      cli.run(["aur", "search", "paru"], { VIETER_AUR_URL: `http://127.0.0.1:${closed}` }),
      cli.run(["aur", "search", " x", "--aur-url", aur.url]),
    ]);
    expect(tooMany).toMatchObject({
      code: 1,
      stderr: "error: the AUR refused the request: Too many package results.\n",
    });
    expect(unreachable).toMatchObject({
      code: 3,
      stderr: `error: cannot reach the AUR at http://127.0.0.1:${closed} (ECONNREFUSED); the address comes from VIETER_AUR_URL\n`,
    });
    expect(short).toMatchObject({ code: 2, stderr: "error: the AUR searches for at least two characters\n" });
  });
});

describe("vieter aur add (recorded AUR responses)", () => {
  it("adds a git target per package base, skips existing ones, and reports unknown names", async () => {
    const first = await cli.run(["aur", "add", "aur-extra", "paru", "--aur-url", aur.url]);
    expect(first).toEqual({
      code: 0,
      stdout: "Added paru as target 1 (https://aur.archlinux.org/paru.git).\n",
      stderr: "",
    });
    const raw = await cli.run(["aur", "add", "aur-extra", "paru", "yay", "no-such-pkg", "-r", "--aur-url", aur.url]);
    expect(raw.code).toBe(1);
    expect(rawRows(raw.stdout)).toEqual([
      ["paru", "1", "exists"],
      ["yay", "2", "added"],
    ]);
    expect(raw.stderr).toBe("error: the AUR has no package named no-such-pkg\n");
    expect(aur.requests).toContain("/rpc/v5/info?arg[]=paru&arg[]=yay&arg[]=no-such-pkg");

    const json = await cli.run(["aur", "add", "aur-extra", "python-dbus-client", "python-dbus-server", "--json"], {
      VIETER_AUR_URL: aur.url,
    });
    expect(JSON.parse(json.stdout)).toEqual({
      repo: "aur-extra",
      packages: [
        {
          name: "python-dbus-client",
          base: "python-dbus-split",
          url: "https://aur.archlinux.org/python-dbus-split.git",
          targetId: 3,
          added: true,
        },
        {
          name: "python-dbus-server",
          base: "python-dbus-split",
          url: "https://aur.archlinux.org/python-dbus-split.git",
          targetId: 3,
          added: false,
        },
      ],
      missing: [],
    });

    const table = await cli.run(["aur", "add", "aur-extra", "paru-bin", "paru", "--aur-url", aur.url]);
    expect(table.stdout).toBe(
      "Added paru-bin as target 4 (https://aur.archlinux.org/paru-bin.git).\n" +
        "Skipped paru: https://aur.archlinux.org/paru.git is already target 1 in aur-extra.\n",
    );
    const targets = JSON.parse((await cli.run(["targets", "list", "--json"])).stdout).targets;
    expect(targets.map((t: { url: string; repo: string; kind: string }) => [t.kind, t.url, t.repo])).toEqual([
      ["git", "https://aur.archlinux.org/paru.git", "aur-extra"],
      ["git", "https://aur.archlinux.org/yay.git", "aur-extra"],
      ["git", "https://aur.archlinux.org/python-dbus-split.git", "aur-extra"],
      ["git", "https://aur.archlinux.org/paru-bin.git", "aur-extra"],
    ]);
    // Another repository gets its own target for the same package.
    const other = await cli.run(["aur", "add", "aur-testing", "paru", "-r", "--aur-url", aur.url]);
    expect(rawRows(other.stdout)).toEqual([["paru", "5", "added"]]);
  });

  it("refuses a bad repository name before asking anyone", async () => {
    const res = await cli.run(["aur", "add", "../etc", "paru", "--aur-url", "http://127.0.0.1:1"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^error: .*\n$/);
  });
});
