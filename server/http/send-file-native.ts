/**
 * A response body sent with the native sendfile addon (server/net/sendfile.ts)
 * on an HTTP/1.1 socket: the head goes out through Node's ServerResponse, the
 * body straight from the page cache into the socket, and then `res.end()`
 * closes the response as if the body had been written through it, so
 * keep-alive and pipelined requests carry on.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { type FileHandle, open } from "node:fs/promises";
import { type SocketFileSender, socketFd } from "../net/sendfile.js";
import type { PlainRequest, PlainResponse } from "./route.js";

/** A response's status, headers and file range. */
export interface FileRange {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly path: string;
  readonly start: number;
  readonly length: number;
}

/** An HTTP/1.1 response and the socket it owns. */
export interface SendfileTarget {
  readonly res: ServerResponse;
  readonly socket: Socket;
}

/**
 * Where a GET may be answered with sendfile: HTTP/1.1 without TLS, and the
 * response owns the socket now (a pipelined response waiting behind another
 * has none yet, and HTTP/2 multiplexes streams over one socket).
 */
export function sendfileTarget(req: PlainRequest, res: PlainResponse): SendfileTarget | undefined {
  if (req.httpVersionMajor !== 1 || req.method !== "GET" || res.headersSent) return undefined;
  const socket = (res as ServerResponse).socket as Socket | null;
  if (!socket || socket !== req.socket || socket.destroyed || socketFd(socket) === undefined) return undefined;
  return { res: res as ServerResponse, socket };
}

/**
 * Sends `range` as the response. Resolves false, having sent nothing, when the
 * file does not open (e.g. an archive file replaced meanwhile), so the caller
 * can answer another way; resolves true once the response is complete or the
 * client went away; rejects on other errors after the head was sent (the
 * connection is then closed, as the body is incomplete).
 */
export async function sendFileNative(
  { res, socket }: SendfileTarget,
  sender: SocketFileSender,
  range: FileRange,
): Promise<boolean> {
  let file: FileHandle;
  try {
    file = await open(range.path, "r");
  } catch {
    return false;
  }
  try {
    res.writeHead(range.status, range.headers);
    res.flushHeaders();
    await headInKernel(socket);
    await sender.send(socket, file.fd, range.start, range.length);
    res.end();
  } catch (err) {
    // The body is cut short: only closing the connection tells the client so.
    res.destroy();
    if (!CLIENT_GONE.has((err as NodeJS.ErrnoException).code ?? "")) throw err;
  } finally {
    await file.close();
  }
  return true;
}

/** Errors of a client that closed the connection (or of its socket closing under us). */
const CLIENT_GONE = new Set(["EPIPE", "ECONNRESET", "ECANCELED", "ERR_STREAM_DESTROYED"]);

const EMPTY = Buffer.alloc(0);

/** Waits until what Node wrote to the socket (the head) is in the kernel, so the body follows it. */
function headInKernel(socket: Socket): Promise<void> {
  if (socket.writableLength === 0 && !socket.writableCorked) return Promise.resolve();
  return new Promise((resolve, reject) => socket.write(EMPTY, (err) => (err ? reject(err) : resolve())));
}
