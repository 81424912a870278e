/**
 * `vieter repos …` as a child process against a real server: publish of real
 * makepkg packages (with a detached signature) that the real pacman then
 * installs, every read command in table, raw and JSON form, and `remove`
 * with Vieter's --force refusal.
 */
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePackage } from "../../server/pkg/testing/make-package.js";
import { testPkgbuild } from "../../server/pkg/testing/pkgbuild.js";
import { cleanupTempDirs, tempDir } from "../../server/pkg/testing/temp-dirs.js";
import { createPacman } from "../setup/pacman.js";
import { type TestServer, startTestServer } from "../setup/server.js";
import { type CliRunner, createCliRunner, rawRows, testLocalTime } from "./setup/run-cli.js";

// Not a real OpenPGP signature, but shaped like one (a packet tag byte first); pacman here does not verify.
const SIGNATURE = Buffer.from([0x89, 0x01, 0x33, ...Array.from({ length: 64 }, (_, i) => i)]);

let srv: TestServer;
let cli: CliRunner;
let hello: string;
let other: string;
beforeAll(async () => {
  srv = await startTestServer();
  cli = await createCliRunner(srv);
  [[hello], [other]] = (await Promise.all([
    makePackage({
      pkgbuild: testPkgbuild("cli-hello", "1.0", { extra: "provides=(cli-hello-virtual)", command: true }),
    }),
    makePackage({
      pkgbuild: testPkgbuild("cli-other", "2.5", { extra: "provides=(cli-other-virtual)", command: true }),
    }),
  ])) as [[string], [string]];
  await writeFile(`${hello}.sig`, SIGNATURE);
});
afterAll(async () => {
  await srv.stop();
  await cli.cleanup();
  await cleanupTempDirs();
});

describe("vieter repos publish", () => {
  it("uploads a package and its .sig, with plain progress lines when stderr is not a terminal", async () => {
    // The .sig named too (as a shell glob would) is sent once, with its package.
    const res = await cli.run(["repos", "publish", "cli", hello, `${hello}.sig`]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe("Published cli-hello 1.0-1 to cli (x86_64) with its signature.\n");
    const name = basename(hello);
    expect(res.stderr).toMatch(
      new RegExp(`^${name.replace(/\./g, "\\.")}: 100% \\(\\d.* of .*\\)\\n${name}\\.sig: 100% \\(67 B of 67 B\\)\\n$`),
    );
    const served = await fetch(`${srv.baseUrl}/cli/x86_64/${name}.sig`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(SIGNATURE);
  });

  it("publishes a package that the real pacman installs", async () => {
    const raw = await cli.run(["repos", "publish", "cli", other, "-r"]);
    expect(raw).toMatchObject({ code: 0, stdout: "cli-other\t2.5-1\tx86_64\tfalse\n" });
    const pacman = await createPacman(srv.baseUrl, "cli");
    await pacman.run("-Sy", "cli-hello", "cli-other");
    expect(await pacman.run("-Q", "cli-hello", "cli-other")).toBe("cli-hello 1.0-1\ncli-other 2.5-1\n");
  });

  it("draws a progress bar, cleared when done, when stderr is a terminal", async () => {
    const res = await cli.runInTerminal(["repos", "publish", "cli", other], { COLUMNS: "120" });
    expect(res.code).toBe(0);
    const name = basename(other);
    expect(res.stdout).toContain(`\r\x1b[K${name} [########################] 100% `);
    expect(res.stdout).toMatch(/\r\x1b\[KPublished cli-other 2\.5-1 to cli \(x86_64\)\.\r?\n$/);
    expect(res.stdout).not.toContain("100% (");
  });

  it("reports a file the server refuses, publishes the rest, and exits 1", async () => {
    const dir = await tempDir("vieter-cli-bad-");
    const bogus = join(dir, "bogus-1-1-x86_64.pkg.tar.zst");
    await writeFile(bogus, "this is not a package");
    const res = await cli.run(["repos", "publish", "cli", bogus, other, "--json"]);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout);
    expect(doc.published).toEqual([
      { file: other, name: "cli-other", version: "2.5-1", archs: ["x86_64"], signed: false },
    ]);
    expect(doc.failed).toEqual([{ file: bogus, error: expect.stringMatching(/\(HTTP 400\)$/) }]);
    expect(res.stderr).toContain(`error: ${bogus}: `);
  });

  it("refuses a missing file or a lone signature before sending anything", async () => {
    const [missing, lone] = await Promise.all([
      cli.run(["repos", "publish", "cli", "/nonexistent/x.pkg.tar.zst"]),
      cli.run(["repos", "publish", "cli", `${hello}.sig`]),
    ]);
    expect(missing).toMatchObject({ code: 2, stderr: "error: /nonexistent/x.pkg.tar.zst is not a readable file\n" });
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain("is a signature: publish its package");
  });
});

describe("vieter repos (reading)", () => {
  it("lists repos and shows a repo's arch-repos in all three modes", async () => {
    const [list, listRaw, listJson, info, infoRaw, infoJson] = await Promise.all([
      cli.run(["repos", "list"]),
      cli.run(["repos", "list", "-r"]),
      cli.run(["repos", "list", "--json"]),
      cli.run(["repos", "info", "cli"]),
      cli.run(["repos", "info", "cli", "-r"]),
      cli.run(["repos", "info", "cli", "--json"]),
    ]);
    expect(list.stdout).toBe("REPO  ARCHES\ncli   x86_64\n");
    expect(listRaw.stdout).toBe("cli\tx86_64\n");
    expect(JSON.parse(listJson.stdout)).toEqual({ repos: [{ name: "cli", arches: ["x86_64"] }] });
    const archRepo = JSON.parse(infoJson.stdout).archRepos[0];
    expect(archRepo).toMatchObject({ repo: "cli", arch: "x86_64", packageCount: 2 });
    expect(info.stdout).toMatch(
      /^ARCH\s+PACKAGES\s+SIZE\s+UPDATED\nx86_64\s+2\s+\d+\.\d KiB {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/,
    );
    expect(rawRows(infoRaw.stdout)).toEqual([
      ["x86_64", "2", String(archRepo.totalSize), testLocalTime(new Date(archRepo.updateTime))],
    ]);
  });

  it("lists packages with filters, and shows one package with its files", async () => {
    const [table, raw, json, query, pkg, pkgRaw, pkgJson] = await Promise.all([
      cli.run(["repos", "packages", "cli"]),
      cli.run(["repos", "packages", "cli", "-r"]),
      cli.run(["repos", "packages", "cli", "--arch", "x86_64", "--json"]),
      cli.run(["repos", "packages", "cli", "-q", "other", "-r"]),
      cli.run(["repos", "package", "cli", "x86_64", "cli-hello", "--files"]),
      cli.run(["repos", "package", "cli", "x86_64", "cli-hello", "--files", "-r"]),
      cli.run(["repos", "package", "cli", "x86_64", "cli-hello", "--json"]),
    ]);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+VERSION\s+ARCH-REPO\s+ARCH\s+SIZE\s+PUBLISHED$/);
    expect(rawRows(raw.stdout).map((r) => r.slice(0, 4))).toEqual([
      ["cli-hello", "1.0-1", "x86_64", "x86_64"],
      ["cli-other", "2.5-1", "x86_64", "x86_64"],
    ]);
    expect(JSON.parse(json.stdout).totalCount).toBe(2);
    expect(rawRows(query.stdout).map((r) => r[0])).toEqual(["cli-other"]);

    expect(pkg.stdout).toContain("Name:            cli-hello\n");
    expect(pkg.stdout).toContain("Licenses:        MIT\n");
    expect(pkg.stdout).toContain("Provides:        cli-hello-virtual\n");
    expect(pkg.stdout).toContain("Depends On:      None\n");
    expect(pkg.stdout).toContain("Signed:          Yes\n");
    expect(pkg.stdout).toContain("Build Date:      2023-11-15 03:43:20\n"); // makePackage's SOURCE_DATE_EPOCH, in IST
    expect(pkg.stdout).toMatch(/Files:\n {2}usr\/\n {2}usr\/bin\/\n {2}usr\/bin\/cli-hello\n$/);
    const fields = new Map(rawRows(pkgRaw.stdout).filter((r) => r[0] !== "file") as [string, string][]);
    expect(fields.get("Signed")).toBe("true");
    expect(rawRows(pkgRaw.stdout).filter((r) => r[0] === "file")).toContainEqual(["file", "usr/bin/cli-hello"]);
    const view = JSON.parse(pkgJson.stdout);
    expect(view).toMatchObject({
      name: "cli-hello",
      version: "1.0-1",
      licenses: ["MIT"],
      depends: [],
      signed: true,
      repoArch: "x86_64",
    });
    expect(view.files).toBeUndefined();
    expect(view.buildTime).toBe("2023-11-14T22:13:20.000Z");
  });

  it("says which package is missing", async () => {
    const res = await cli.run(["repos", "package", "cli", "x86_64", "nope"]);
    expect(res).toMatchObject({ code: 1, stderr: "error: package nope is not in cli/x86_64 (not_found)\n" });
  });
});

describe("vieter repos remove", () => {
  it("refuses to remove an arch-repo or a repo without --force, and removes nothing", async () => {
    const refusal =
      "error: Removing an arch-repo or repository is a very destructive command. If you really do wish to " +
      "perform this operation, explicitly add the --force flag.\n";
    const [arch, repo] = await Promise.all([
      cli.run(["repos", "remove", "cli", "x86_64"]),
      cli.run(["repos", "remove", "cli"]),
    ]);
    expect(arch).toMatchObject({ code: 1, stdout: "", stderr: refusal });
    expect(repo).toMatchObject({ code: 1, stdout: "", stderr: refusal });
    expect(rawRows((await cli.run(["repos", "packages", "cli", "-r"])).stdout)).toHaveLength(2);
  });

  it("removes a package without --force, then an arch-repo and a repo with it", async () => {
    expect(await cli.run(["repos", "remove", "cli", "x86_64", "cli-other"])).toMatchObject({
      code: 0,
      stdout: "Removed cli-other from cli/x86_64.\n",
    });
    expect((await cli.run(["repos", "packages", "cli", "-r"])).stdout).toMatch(/^cli-hello\t/);
    const arch = await cli.run(["repos", "remove", "cli", "x86_64", "--force", "--json"]);
    expect(JSON.parse(arch.stdout)).toEqual({ repo: "cli", arch: "x86_64", package: null, removed: true });
    expect(await cli.run(["repos", "publish", "gone", other, "-r"])).toMatchObject({ code: 0 });
    expect(await cli.run(["repos", "remove", "gone", "--force", "-r"])).toMatchObject({ code: 0, stdout: "" });
    expect(await cli.run(["repos", "list", "-r"])).toMatchObject({ code: 0, stdout: "" });
  });
});
