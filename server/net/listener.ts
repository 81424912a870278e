/**
 * One port for every protocol. Without TLS, Node cannot serve HTTP/1.1 and
 * HTTP/2 (h2c) on one server (`allowHTTP1` needs ALPN), so a TCP listener
 * peeks at the first bytes: the HTTP/2 connection preface starts with "PRI",
 * anything else is HTTP/1.1. With TLS, ALPN picks the protocol.
 */
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Socket } from "node:net";
import { type KeepaliveOptions, SERVER_KEEPALIVE, keepAlive } from "./keepalive.js";

/** A request handler that works for both HTTP versions. */
export type UniversalHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** TLS material; when given, the port speaks TLS with ALPN h2 + http/1.1. */
export interface TlsOptions {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A listening server that can be closed with a deadline. */
export interface Listener {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting, waits for in-flight requests up to `graceMs`, then drops the rest. */
  close(graceMs: number): Promise<void>;
}

/** Starts listening on `host:port` with `handler` for every protocol; HTTP/2 sessions are pinged. */
export async function listen(
  handler: UniversalHandler,
  port: number,
  host: string,
  tls?: TlsOptions,
  keepalive: KeepaliveOptions = SERVER_KEEPALIVE,
): Promise<Listener> {
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  // In-flight HTTP/1.1 requests per socket: idle keep-alive sockets are closed
  // at once on shutdown, busy ones as soon as their response is done.
  const busy = new Map<Socket, number>();
  let closing = false;
  const tracked: UniversalHandler = (req, res) => {
    if (req.httpVersionMajor === 1) {
      const socket = req.socket as Socket;
      busy.set(socket, (busy.get(socket) ?? 0) + 1);
      res.once("close", () => {
        const left = (busy.get(socket) ?? 1) - 1;
        if (left > 0) busy.set(socket, left);
        else busy.delete(socket);
        if (closing && left <= 0) socket.destroy();
      });
    }
    handler(req, res);
  };

  const h1 = http.createServer(tracked as http.RequestListener);
  // Long streams (log follow, agent channel) must not be cut by Node's defaults.
  h1.requestTimeout = 0;
  h1.keepAliveTimeout = 5_000;
  const h2 = tls
    ? http2.createSecureServer({ cert: tls.cert, key: tls.key, allowHTTP1: true }, tracked as never)
    : http2.createServer({}, tracked as never);
  h2.on("session", (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
    keepAlive(s, keepalive);
  });

  const h2Sockets = new WeakSet<Socket>();
  const server: net.Server = tls
    ? (h2 as unknown as net.Server)
    : // noDelay as http.createServer sets it: with Nagle on, a response head and
      // its body in separate writes wait ~40 ms for the client's delayed ACK.
      net.createServer({ noDelay: true }, (socket) => sniff(socket, h1, h2, h2Sockets));
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, ...(host ? { host } : {}) }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;

  return {
    port: boundPort,
    async close(graceMs) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY lets HTTP/2 clients finish their open streams but start no new ones.
      for (const s of sessions) s.close();
      // With TLS the raw sockets are not the ones requests see; the deadline handles them.
      if (!tls) {
        for (const socket of sockets) {
          if (!busy.has(socket) && !h2Sockets.has(socket)) socket.destroy();
        }
      }
      const timer = setTimeout(() => {
        for (const s of sessions) s.destroy();
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}

function sniff(socket: Socket, h1: http.Server, h2: http2.Http2Server, h2Sockets: WeakSet<Socket>): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    if (head.length < 3 && "PRI".startsWith(head.toString("latin1"))) return;
    socket.off("data", onData);
    socket.pause();
    socket.unshift(head);
    if (head.subarray(0, 3).toString("latin1") === "PRI") {
      h2Sockets.add(socket);
      h2.emit("connection", socket);
    } else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  socket.on("data", onData);
}
