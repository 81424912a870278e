/**
 * The real pacman syncs from our server: install, upgrade after a newer
 * publish, an epoch version (raw ":" in the download path), and `pacman -F`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePackage } from "../server/pkg/testing/make-package.js";
import { testPkgbuild } from "../server/pkg/testing/pkgbuild.js";
import { cleanupTempDirs } from "../server/pkg/testing/temp-dirs.js";
import { type TestPacman, createPacman } from "./setup/pacman.js";
import { publishFile } from "./setup/publish.js";
import { type TestServer, startTestServer } from "./setup/server.js";

let srv: TestServer;
let pacman: TestPacman;
beforeAll(async () => {
  srv = await startTestServer();
  pacman = await createPacman(srv.baseUrl, "e2e");
});
afterAll(async () => {
  await srv.stop();
  await cleanupTempDirs();
});

describe("pacman against the server", () => {
  it("installs a published package", async () => {
    const [file] = await makePackage({ pkgbuild: testPkgbuild("vieter-hello", "1.0", { command: true }) });
    const res = await publishFile(srv.baseUrl, "e2e", file!, srv.apiKey);
    expect(res).toEqual({
      status: 200,
      body: { message: "", data: { name: "vieter-hello", version: "1.0-1", archs: ["x86_64"] } },
    });
    await pacman.run("-Sy", "vieter-hello");
    expect(await pacman.run("-Q", "vieter-hello")).toBe("vieter-hello 1.0-1\n");
  });

  it("upgrades with -Syu after a newer publish, even within the same second", async () => {
    const [file] = await makePackage({ pkgbuild: testPkgbuild("vieter-hello", "1.0", { pkgrel: 2, command: true }) });
    expect((await publishFile(srv.baseUrl, "e2e", file!, srv.apiKey)).status).toBe(200);
    await pacman.run("-Syu");
    expect(await pacman.run("-Q", "vieter-hello")).toBe("vieter-hello 1.0-2\n");
    // Two changes back to back: pacman's If-Modified-Since must still see the second.
    const [third] = await makePackage({ pkgbuild: testPkgbuild("vieter-hello", "1.0", { pkgrel: 3, command: true }) });
    const [other] = await makePackage({ pkgbuild: testPkgbuild("vieter-other", "2", { command: true }) });
    expect((await publishFile(srv.baseUrl, "e2e", other!, srv.apiKey)).status).toBe(200);
    await pacman.run("-Sy");
    expect((await publishFile(srv.baseUrl, "e2e", third!, srv.apiKey)).status).toBe(200);
    await pacman.run("-Syu");
    expect(await pacman.run("-Q", "vieter-hello")).toBe("vieter-hello 1.0-3\n");
  });

  it("installs an epoch version (raw ':' in the download URL)", async () => {
    const [file] = await makePackage({
      pkgbuild: testPkgbuild("vieter-epoch", "0.5", { extra: "epoch=1", command: true }),
    });
    expect((await publishFile(srv.baseUrl, "e2e", file!, srv.apiKey)).status).toBe(200);
    await pacman.run("-Sy", "vieter-epoch");
    expect(await pacman.run("-Q", "vieter-epoch")).toBe("vieter-epoch 1:0.5-1\n");
  });

  it("finds a file with pacman -Fy / -F", async () => {
    await pacman.run("-Fy");
    expect(await pacman.run("-F", "usr/bin/vieter-hello")).toContain(
      "usr/bin/vieter-hello is owned by e2e/vieter-hello 1.0-3",
    );
  });
});
