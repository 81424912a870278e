/** GET /api/v1/logs/<id>/content: auth like the RPCs, gzip as stored or decompressed, API paths kept from repo routes. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobIn } from "../logs/testing.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { acceptsGzip, apiNotFoundRoute, logRoutes } from "./log-routes.js";
import type { PlainRequest, PlainRoute } from "./route.js";
import { sendJson } from "./respond.js";
import { createPlainRouter } from "./router.js";

// Stands in for the repo routes: answers any 3-segment GET, so reaching it shows.
const repoLike: PlainRoute = {
  method: ["GET"],
  match: (s) => s.length === 3,
  access: "public",
  handle: (_req, res) => sendJson(res, 200, { message: "repo route", data: "" }),
};

let ctx: TestContext;
let server: http.Server;
let port: number;
beforeEach(async () => {
  ctx = await createTestContext();
  const router = createPlainRouter([...logRoutes(ctx.logs), apiNotFoundRoute, repoLike], ctx.authenticator, ctx.logger);
  server = http.createServer(router);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await ctx.dispose();
});

/** A raw request (no automatic decompression). */
function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function closedLog(text: string): Promise<number> {
  const job = await jobIn(ctx, "running");
  await ctx.logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "a" });
  await ctx.logs.appendLog(job.id, Buffer.from(text));
  const { id } = await ctx.logs.closeLog(job.id, { exitCode: 0, result: "succeeded" });
  await ctx.logs.settled();
  return id;
}

describe("GET /api/v1/logs/<id>/content", () => {
  const text = "==> Making package: hello 1.0-1\n".repeat(1000);

  it("requires the admin key", async () => {
    const id = await closedLog(text);
    expect((await get(`/api/v1/logs/${id}/content`)).status).toBe(401);
    expect((await get(`/api/v1/logs/${id}/content`, { "x-api-key": "wrong" })).status).toBe(401);
    const ok = await get(`/api/v1/logs/${id}/content`, { authorization: `Bearer ${TEST_KEY}` });
    expect(ok.status).toBe(200);
  });

  it("sends a compressed log as stored to gzip clients, decompressed to others", async () => {
    const id = await closedLog(text);
    const plain = await get(`/api/v1/logs/${id}/content`, { "x-api-key": TEST_KEY });
    expect(plain.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(text);

    const gz = await get(`/api/v1/logs/${id}/content`, { "x-api-key": TEST_KEY, "accept-encoding": "br, gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toBe("accept-encoding");
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(text.length / 10);
    expect(gunzipSync(gz.body).toString()).toBe(text);

    const head = await get(`/api/v1/logs/${id}/content`, { "x-api-key": TEST_KEY, "accept-encoding": "gzip" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("sends an open log's content so far, with its length", async () => {
    const job = await jobIn(ctx, "running");
    const { id } = await ctx.logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "a" });
    await ctx.logs.appendLog(job.id, Buffer.from("building\n"));
    const res = await get(`/api/v1/logs/${id}/content`, { "x-api-key": TEST_KEY, "accept-encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers["content-length"]).toBe("9");
    expect(res.body.toString()).toBe("building\n");
  });

  it("answers 404 for an unknown log and 400 for a malformed id", async () => {
    const missing = await get(`/api/v1/logs/77/content`, { "x-api-key": TEST_KEY });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).message).toBe("log 77 does not exist");
    expect((await get(`/api/v1/logs/abc/content`, { "x-api-key": TEST_KEY })).status).toBe(400);
  });

  it("keeps other /api paths away from the repo routes", async () => {
    const res = await get(`/api/v1/logs`, { "x-api-key": TEST_KEY });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).message).toMatch(/Connect services/);
    expect((await get(`/api/x86_64/api.db`)).status).toBe(404);
    expect((await get(`/main/x86_64/main.db`)).status).toBe(200);
  });
});

describe("acceptsGzip", () => {
  const req = (v: string | undefined) => ({ headers: v === undefined ? {} : { "accept-encoding": v } }) as PlainRequest;
  it.each([
    ["gzip", true],
    ["deflate, gzip;q=0.5", true],
    ["*", true],
    ["x-gzip", true],
    ["gzip;q=0", false],
    ["identity", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (value, expected) => expect(acceptsGzip(req(value))).toBe(expected));
});
