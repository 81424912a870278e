/** The plain router: path decoding, method handling, one auth check for mutating routes, error mapping. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../lib/errors.js";
import { createAuthenticator } from "../auth/authenticator.js";
import { decodeSegments, createPlainRouter, isPacmanDownload, isPublish } from "./router.js";
import type { PlainRoute } from "./route.js";
import { sendJson } from "./respond.js";

const changes: string[] = [];
const routes: PlainRoute[] = [
  {
    method: ["POST"],
    match: (s) => s.length === 2 && s[1] === "publish",
    access: "admin",
    handle: (_req, res, call) => {
      changes.push(call.segments[0]!);
      sendJson(res, 200, { message: "", data: call.segments[0] });
    },
  },
  {
    method: ["GET"],
    match: (s) => s.length === 1 && s[0] === "missing",
    access: "public",
    handle: () => {
      throw new NotFoundError("thing missing does not exist");
    },
  },
];

let server: http.Server;
let base: string;
beforeAll(async () => {
  const handler = createPlainRouter(routes, createAuthenticator({ apiKey: "secret" }), pino({ level: "silent" }));
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("plain router", () => {
  it("answers 401 without or with a wrong key, and changes nothing", async () => {
    expect((await fetch(`${base}/r/publish`, { method: "POST" })).status).toBe(401);
    expect((await fetch(`${base}/r/publish`, { method: "POST", headers: { "x-api-key": "nope" } })).status).toBe(401);
    expect(changes).toEqual([]);
  });

  it("runs the route with the right key (header or bearer)", async () => {
    expect((await fetch(`${base}/a/publish`, { method: "POST", headers: { "x-api-key": "secret" } })).status).toBe(200);
    expect(
      (await fetch(`${base}/b/publish`, { method: "POST", headers: { authorization: "Bearer secret" } })).status,
    ).toBe(200);
    expect(changes).toEqual(["a", "b"]);
  });

  it("maps domain errors to statuses with Vieter's envelope", async () => {
    const res = await fetch(`${base}/missing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "thing missing does not exist", data: "" });
  });

  it("answers 405 with Allow for a known path and wrong method", async () => {
    const res = await fetch(`${base}/x/publish`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("answers 400 for undecodable paths", async () => {
    expect((await fetch(`${base}/%E0%A4%A/publish`, { method: "POST" })).status).toBe(400);
  });
});

describe("decodeSegments", () => {
  it("drops empty segments and decodes each one", () => {
    expect(decodeSegments("//a/%3A/b%2Fc/")).toEqual(["a", ":", "b/c"]);
    expect(decodeSegments("/%ZZ")).toBeUndefined();
  });
});

describe("isPacmanDownload", () => {
  const req = (method: string, url: string) => ({ method, url }) as unknown as http.IncomingMessage;
  it.each([
    ["GET", "/core/x86_64/core.db", true],
    ["HEAD", "/core/x86_64/hello-1:0.5-1-x86_64.pkg.tar.zst", true],
    ["GET", "/vieter.v1.RepoService/ListRepos", false],
    ["POST", "/core/x86_64/core.db", false],
    ["GET", "/core/publish", false],
    ["GET", "/core/x86_64/core.db?x=1", false],
    ["GET", "/core//x86_64/core.db", false],
    ["GET", "/core/x86_64/", false],
    ["GET", "/api/v1/logs/1/content", false],
  ])("%s %s → %s", (method, url, expected) => {
    expect(isPacmanDownload(req(method, url))).toBe(expected);
  });
});

describe("isPublish", () => {
  const req = (method: string, url: string) => ({ method, url }) as unknown as http.IncomingMessage;
  it.each([
    ["POST", "/core/publish", true],
    ["POST", "/core/publish?signature=a-1-1-x86_64.pkg.tar.zst", true],
    ["GET", "/core/publish", false],
    ["POST", "/publish", false],
    ["POST", "//publish", false],
    ["POST", "/a/b/publish", false],
    ["POST", "/vieter.v1.RepoService/ListRepos", false],
    ["POST", "/core/republish", false],
  ])("%s %s → %s", (method, url, expected) => {
    expect(isPublish(req(method, url))).toBe(expected);
  });
});
