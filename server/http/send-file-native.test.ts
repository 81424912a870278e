/**
 * Package files and archives sent with the native sendfile addon, on the
 * server's real listener (HTTP/1.1 sniffed from h2c): whole files, ranges,
 * HEAD, keep-alive and pipelined requests on one socket, a client leaving
 * mid-transfer; and the same answers through Node's streams without the addon.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Listener, listen } from "../net/listener.js";
import { type SocketFileSender, loadSocketFileSender } from "../net/sendfile.js";
import { sendBody } from "./send-body.js";

const SMALL = 300_000;
const BIG = 48 * 1024 * 1024;
let dir: string;
let small: Buffer;
let bigPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-sendfile-"));
  small = randomBytes(SMALL);
  await writeFile(join(dir, "small"), small);
  bigPath = join(dir, "big");
  await writeFile(bigPath, randomBytes(BIG));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

it("the addon is built in this checkout (npm ci builds it)", () => {
  expect(loadSocketFileSender()).toBeDefined();
});

it("a missing or broken addon file loads as undefined, so the server keeps Node's write path", () => {
  const broken = join(dir, "broken.node");
  writeFileSync(broken, "not a shared object");
  expect(loadSocketFileSender([join(dir, "missing.node")])).toBeUndefined();
  expect(loadSocketFileSender([broken])).toBeUndefined();
});

for (const native of [true, false]) {
  describe(native ? "with the sendfile addon" : "without it (fallback)", () => {
    let server: TestServer;
    beforeAll(async () => (server = await startServer(native ? loadSocketFileSender() : undefined)));
    afterAll(() => server.close());

    it("sends a whole file", async () => {
      const r = await exchange(server.port, [request("/small")]);
      expect(r[0]!.status).toBe(200);
      expect(r[0]!.headers["content-length"]).toBe(String(SMALL));
      expect(r[0]!.body.equals(small)).toBe(true);
      expect(server.sent()).toBe(native ? 1 : 0);
    });

    it("sends byte ranges (206) and refuses unsatisfiable ones (416)", async () => {
      const [mid, suffix, beyond] = await exchange(server.port, [
        request("/small", "range: bytes=1000-1999"),
        request("/small", "range: bytes=-500"),
        request("/small", `range: bytes=${SMALL}-`),
      ]);
      expect(mid!.status).toBe(206);
      expect(mid!.headers["content-range"]).toBe(`bytes 1000-1999/${SMALL}`);
      expect(mid!.body.equals(small.subarray(1000, 2000))).toBe(true);
      expect(suffix!.body.equals(small.subarray(SMALL - 500))).toBe(true);
      expect(beyond!.status).toBe(416);
      expect(beyond!.body.length).toBe(0);
    });

    it("answers HEAD with the length and no body, and the next request on the socket still works", async () => {
      const before = server.sent();
      const [head, get] = await exchange(server.port, [request("/small", "", "HEAD"), request("/small")], false);
      expect(head!.headers["content-length"]).toBe(String(SMALL));
      expect(head!.body.length).toBe(0);
      expect(get!.body.equals(small)).toBe(true);
      expect(server.sent() - before).toBe(native ? 1 : 0);
    });

    it("keeps the connection alive: requests one after another on one socket", async () => {
      const r = await exchange(server.port, [request("/big"), request("/small"), request("/big")], false);
      expect(r.map((x) => x.status)).toEqual([200, 200, 200]);
      const bigDigest = digest(await readFileBytes(bigPath));
      expect(digest(r[0]!.body)).toBe(bigDigest);
      expect(r[1]!.body.equals(small)).toBe(true);
      expect(digest(r[2]!.body)).toBe(bigDigest);
    });

    it("answers pipelined requests in order", async () => {
      const r = await exchange(server.port, [
        request("/big"),
        request("/small", "range: bytes=5-9"),
        request("/small"),
      ]);
      expect(r.map((x) => x.status)).toEqual([200, 206, 200]);
      expect(r[0]!.body.length).toBe(BIG);
      expect(r[1]!.body.equals(small.subarray(5, 10))).toBe(true);
      expect(r[2]!.body.equals(small)).toBe(true);
    });

    it("ends quietly when the client leaves mid-transfer, closing what it opened", async () => {
      const fds = openFds();
      const before = server.sent();
      const socket = net.connect(server.port, "127.0.0.1");
      socket.write(request("/big"));
      await new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.pause(); // stop reading: the server's socket fills up and waits for writability
      socket.destroy();
      expect(await server.lastOutcome()).toBe("resolved");
      expect(server.sent() - before).toBe(native ? 1 : 0);
      await vi.waitFor(() => expect(openFds()).toBeLessThanOrEqual(fds));
      const [after] = await exchange(server.port, [request("/small")]);
      expect(after!.body.equals(small)).toBe(true);
    });
  });
}

it("stops a transfer when the server closes the connection (shutdown), and the client sees it end", async () => {
  const server = await startServer(loadSocketFileSender());
  const socket = net.connect(server.port, "127.0.0.1");
  socket.write(request("/big"));
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  socket.pause(); // a client that stopped reading: the transfer waits for writability
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await server.close(); // no grace: busy sockets are destroyed
  expect(await server.lastOutcome()).toBe("resolved");
  expect(server.sent()).toBe(1);
  socket.resume(); // drain what was sent: the connection must then end, not hang on the addon's dup
  await ended;
});

interface TestServer {
  readonly port: number;
  /** Transfers the addon was asked for so far. */
  sent(): number;
  /** How the last sendBody call ended: "resolved" or its error. */
  lastOutcome(): Promise<unknown>;
  close(): Promise<void>;
}

async function startServer(sender: SocketFileSender | undefined): Promise<TestServer> {
  let sent = 0;
  let outcome: Promise<unknown> = Promise.resolve("none");
  const counting: SocketFileSender | undefined = sender && {
    send(...args) {
      sent++;
      return sender.send(...args);
    },
  };
  const listener: Listener = await listen(
    (req, res) => {
      const path = join(dir, (req.url ?? "/").slice(1));
      const size = path === bigPath ? BIG : SMALL;
      const body = { path, size, etag: '"e"', lastModified: new Date(0), contentType: "application/octet-stream" };
      outcome = sendBody(req, res, body, counting).then(
        () => "resolved",
        (err: unknown) => err,
      );
    },
    0,
    "127.0.0.1",
  );
  return {
    port: listener.port,
    sent: () => sent,
    lastOutcome: () => outcome,
    close: () => listener.close(0),
  };
}

function request(path: string, header = "", method = "GET"): string {
  return `${method} ${path} HTTP/1.1\r\nhost: test\r\n${header ? `${header}\r\n` : ""}\r\n`;
}

interface Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `requests` on one connection (all at once when `pipelined`, else
 * each after the previous answer) and parses the answers by Content-Length.
 */
function exchange(port: number, requests: string[], pipelined = true): Promise<Response[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const responses: Response[] = [];
    let chunks: Buffer[] = [];
    let buffered = 0;
    let head: { status: number; headers: Record<string, string>; length: number } | undefined;
    let next = 0;
    const send = () => socket.write(requests[next++]!);
    const take = (n: number): Buffer => {
      const all = Buffer.concat(chunks, buffered);
      chunks = [all.subarray(n)];
      buffered -= n;
      return all.subarray(0, n);
    };
    socket.on("connect", () => {
      if (pipelined) while (next < requests.length) send();
      else send();
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      buffered += chunk.length;
      for (;;) {
        if (!head) {
          // Heads are small: only the first chunk(s) need searching.
          const start = Buffer.concat(chunks, buffered);
          chunks = [start];
          const end = start.indexOf("\r\n\r\n");
          if (end === -1) return;
          const [statusLine, ...lines] = take(end + 4)
            .subarray(0, end)
            .toString("latin1")
            .split("\r\n");
          const headers = Object.fromEntries(
            lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
          );
          const isHead = requests[responses.length]!.startsWith("HEAD");
          head = {
            status: Number(statusLine!.split(" ")[1]),
            headers,
            length: isHead ? 0 : Number(headers["content-length"] ?? 0),
          };
        }
        if (buffered < head.length) return;
        responses.push({ status: head.status, headers: head.headers, body: Buffer.from(take(head.length)) });
        head = undefined;
        if (responses.length === requests.length) {
          socket.destroy();
          return resolve(responses);
        }
        if (!pipelined) send();
      }
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`connection closed after ${responses.length} responses`)));
  });
}

function digest(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

async function readFileBytes(path: string): Promise<Buffer> {
  return (await import("node:fs/promises")).readFile(path);
}

function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}
