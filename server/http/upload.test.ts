import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type IncomingMessage, type Server, createServer, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, ResourceExhaustedError } from "../../lib/errors.js";
import { type ReceivedBody, receiveBody } from "./upload.js";

const MAX = 64 * 1024;
const KEEP = 4 * 1024;
let dir: string;
let server: Server;
let port: number;
/** What the last request's receiveBody gave or threw, by path. */
const outcomes = new Map<string, Promise<ReceivedBody>>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-upload-"));
  server = createServer((req: IncomingMessage, res) => {
    const path = join(dir, req.url!.slice(1));
    const outcome = receiveBody(req, path, MAX, KEEP);
    outcomes.set(path, outcome);
    outcome.then(
      () => res.end("ok"),
      () => res.end("failed"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function post(name: string, body: Buffer, chunked = false): Promise<ReceivedBody> {
  const headers = chunked ? { "transfer-encoding": "chunked" } : { "content-length": body.length };
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", method: "POST", path: `/${name}`, headers }, (res) => {
      res.resume();
      res.on("end", () => outcomes.get(join(dir, name))!.then(resolve, reject));
    });
    req.on("error", () => outcomes.get(join(dir, name))!.then(resolve, reject));
    if (chunked) for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
    req.end(chunked ? undefined : body);
  });
}

function bytes(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) % 251));
}

describe("receiveBody", () => {
  it.each([
    ["with its length announced", false],
    ["sent chunked", true],
  ])("writes a small body %s to the file and keeps it", async (_, chunked) => {
    const body = bytes(3000, 1);
    const received = await post(`small-${chunked}`, body, chunked);
    expect(received.size).toBe(body.length);
    expect(received.bytes?.equals(body)).toBe(true);
    expect((await readFile(join(dir, `small-${chunked}`))).equals(body)).toBe(true);
  });

  it("streams a body larger than keepBytes to the file without keeping it", async () => {
    const body = bytes(40_000, 2);
    const received = await post("large", body);
    expect(received).toEqual({ size: body.length, bytes: undefined });
    expect((await readFile(join(dir, "large"))).equals(body)).toBe(true);
  });

  it("refuses a body over the limit and leaves no file", async () => {
    await expect(post("over", bytes(MAX + 1, 3))).rejects.toBeInstanceOf(ResourceExhaustedError);
    await expect(post("over-chunked", bytes(MAX + 1, 3), true)).rejects.toBeInstanceOf(ResourceExhaustedError);
    expect(existsSync(join(dir, "over-chunked"))).toBe(false);
  });

  it("refuses an empty body", async () => {
    await expect(post("empty", Buffer.alloc(0))).rejects.toThrow("the upload is empty");
    expect(existsSync(join(dir, "empty"))).toBe(false);
  });

  it.each([
    ["a small", 3000],
    ["a large", 40_000],
  ])("refuses %s body cut short by the client and leaves no file", async (_, announced) => {
    const name = `cut-${announced}`;
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /${name} HTTP/1.1\r\nHost: x\r\nContent-Length: ${announced}\r\n\r\n`);
    socket.write(bytes(1000, 4));
    while (!outcomes.has(join(dir, name))) await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    const error = await outcomes.get(join(dir, name))!.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/upload did not complete/);
    expect(existsSync(join(dir, name))).toBe(false);
  });
});
