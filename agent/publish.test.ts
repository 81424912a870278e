import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PublishCancelledError, PublishError, publishPackages } from "./publish.js";

let dir: string;
let file: string;
let server: Server;
let address: string;
/** Statuses the server answers, in order; 200 once they run out. */
let answers: number[] = [];
let requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-publish-"));
  file = join(dir, "hello-1.0-1-any.pkg.tar.gz");
  await writeFile(file, "package bytes");
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    req.resume();
    req.on("end", () => res.writeHead(answers.shift() ?? 200).end("answer"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

function publish(options: Parameters<typeof publishPackages>[4] = {}) {
  requests = [];
  return publishPackages(address, "agent-token", "extra", [file], { retryDelaysMs: [1, 1, 1], ...options });
}

describe("publishPackages (a local HTTP server standing in for Vieter's publish route)", () => {
  it("tries a 5xx again until the server takes the file", async () => {
    answers = [503, 502];
    const retries: string[] = [];
    await publish({ onRetry: (err) => retries.push(err.message) });
    expect(requests).toEqual(Array(3).fill("POST /extra/publish Bearer agent-token"));
    expect(retries).toEqual([
      `the server refused ${file} with 503: answer`,
      `the server refused ${file} with 502: answer`,
    ]);
  });

  it("gives up after the last delay with the last transient error", async () => {
    answers = [500, 500, 500, 500];
    const err = await publish().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err).toMatchObject({ transient: true, message: `the server refused ${file} with 500: answer` });
    expect(requests).toHaveLength(4);
  });

  it("does not try a refusal (4xx) again", async () => {
    answers = [409];
    const err = await publish().catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false, message: `the server refused ${file} with 409: answer` });
    expect(requests).toHaveLength(1);
  });

  it("retries a server that cannot be reached, and stops with PublishCancelledError when the signal aborts", async () => {
    const abort = new AbortController();
    const retries: string[] = [];
    const err = await publishPackages("http://127.0.0.1:1", "t", "extra", [file], {
      retryDelaysMs: [1, 1, 60_000],
      signal: abort.signal,
      onRetry: (e) => {
        retries.push(e.message);
        if (retries.length === 3) abort.abort();
      },
    }).catch((e: unknown) => e);
    expect(retries).toHaveLength(3);
    expect(retries[0]).toMatch(/^publishing .* failed: fetch failed$/);
    expect(err).toBeInstanceOf(PublishCancelledError);
    expect(err).toMatchObject({ published: [], unpublished: [file] });
  });
});
