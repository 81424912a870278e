/** HTTP/2 keepalive of the listener: a silently dead peer's session is closed, a live one is kept. */
import http2 from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { type Listener, listen } from "./listener.js";
import { type FreezingProxy, startFreezingProxy } from "./testing/freezing-proxy.js";

const FAST = { intervalMs: 20, timeoutMs: 100 };
let listener: Listener | undefined;
let proxy: FreezingProxy | undefined;
let client: http2.ClientHttp2Session | undefined;
afterEach(async () => {
  client?.destroy();
  await proxy?.close();
  await listener?.close(0);
  [listener, proxy, client] = [undefined, undefined, undefined];
});

/** A server whose every request stays open until the client goes; resolves each request's end. */
async function holdingServer(ended: (how: string) => void): Promise<Listener> {
  return listen(
    (req, res) => {
      res.writeHead(200);
      (res as http2.Http2ServerResponse).write("open\n");
      req.on("close", () => ended("closed"));
    },
    0,
    "127.0.0.1",
    undefined,
    FAST,
  );
}

function openStream(port: number): Promise<http2.ClientHttp2Stream> {
  client = http2.connect(`http://127.0.0.1:${port}`);
  client.on("error", () => {});
  const stream = client.request({ ":path": "/agent" });
  stream.on("error", () => {});
  return new Promise((resolve) => stream.once("response", () => resolve(stream)));
}

describe("HTTP/2 keepalive", () => {
  it("closes the session of a peer that stopped answering without a FIN", async () => {
    let ended!: (how: string) => void;
    const streamEnded = new Promise<string>((r) => (ended = r));
    listener = await holdingServer(ended);
    proxy = await startFreezingProxy(listener.port);
    await openStream(proxy.port);
    proxy.freeze();
    expect(await streamEnded).toBe("closed");
  });

  it("keeps a session whose peer answers its PINGs", async () => {
    let closed = false;
    listener = await holdingServer(() => (closed = true));
    const stream = await openStream(listener.port);
    // Many PING rounds, each answered by the client's HTTP/2 stack.
    let pings = 0;
    client!.on("ping", () => pings++);
    while (pings < 10) await new Promise((r) => setTimeout(r, FAST.intervalMs));
    expect(closed).toBe(false);
    expect(stream.closed).toBe(false);
  });
});
