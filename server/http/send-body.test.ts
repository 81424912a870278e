/** sendBody with a file: a client leaving mid-download is quiet, a file error is still an error. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sendBody } from "./send-body.js";

const SIZE = 32 * 1024 * 1024;
let dir: string;
let file: string;
let server: http.Server;
let base: string;
let outcome: Promise<unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-send-body-"));
  file = join(dir, "big.pkg.tar.zst");
  await writeFile(file, randomBytes(SIZE));
  server = http.createServer((req, res) => {
    const path = req.url === "/missing" ? join(dir, "missing") : file;
    const body = { path, size: SIZE, etag: '"e"', lastModified: new Date(0), contentType: "application/octet-stream" };
    // Settled either way, so the test can look at how sendBody ended.
    outcome = sendBody(req, res, body).then(
      () => "resolved",
      (err: unknown) => err,
    );
    void outcome.then((r) => r !== "resolved" && res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function getThenLeave(url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", () => resolve());
  });
}

it("resolves quietly when the client closes the connection mid-download", async () => {
  await getThenLeave(`${base}/big`);
  expect(await outcome).toBe("resolved");
});

it("still rejects when the file cannot be read", async () => {
  await getThenLeave(`${base}/missing`);
  expect(await outcome).toMatchObject({ code: "ENOENT" });
});
