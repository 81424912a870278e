/**
 * The optional native sendfile addon (native/sendfile, built by `npm ci`):
 * sends a file range into a plain TCP socket from the page cache, as nginx
 * does, instead of copying the bytes through JavaScript. When it is not
 * built or does not load, `loadSocketFileSender` returns undefined and the
 * callers keep Node's own write path.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getSystemErrorName } from "node:util";

/** Sends file ranges into sockets. */
export interface SocketFileSender {
  /**
   * Sends `length` bytes of the open file `fileFd` from `offset` into
   * `socket`, whose own write queue must be empty and stay empty until this
   * settles. Rejects with an error carrying an errno `code` (`EPIPE`,
   * `ECONNRESET`, `ECANCELED` when the socket closed meanwhile, …).
   */
  send(socket: Socket, fileFd: number, offset: number, length: number): Promise<void>;
}

/** The addon's two functions (see native/sendfile/sendfile.c). */
interface Addon {
  start(socketFd: number, fileFd: number, offset: number, length: number, done: (result: number) => void): unknown;
  abort(transfer: unknown): void;
}

/** The addon's file, relative to the repository root. */
export const ADDON_PATH = "native/sendfile/build/Release/vieter_sendfile.node";

/**
 * Loads the addon from the first of `paths` that exists; undefined when none
 * does or loading fails (another platform, a failed build).
 */
export function loadSocketFileSender(paths: readonly string[] = defaultPaths()): SocketFileSender | undefined {
  const path = paths.find((p) => existsSync(p));
  if (path === undefined) return undefined;
  try {
    const addon = createRequire(import.meta.url)(path) as Addon;
    if (typeof addon.start !== "function" || typeof addon.abort !== "function") return undefined;
    return createSender(addon);
  } catch {
    return undefined;
  }
}

/** The socket's file descriptor, when it is a plain TCP socket that has one. */
export function socketFd(socket: Socket): number | undefined {
  if ((socket as { encrypted?: boolean }).encrypted) return undefined;
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

function createSender(addon: Addon): SocketFileSender {
  return {
    send(socket, fileFd, offset, length) {
      const fd = socketFd(socket);
      // No fd any more: the socket closed since the caller looked.
      if (fd === undefined || socket.destroyed) return Promise.reject(errnoError("ECANCELED"));
      return new Promise<void>((resolve, reject) => {
        let pending = true;
        const settle = (result: number): void => {
          pending = false;
          socket.off("close", onClose);
          if (result === 0) resolve();
          else reject(errnoError(getSystemErrorName(result)));
        };
        // The addon sends through its own dup of the fd: it must stop when Node closes the socket.
        const onClose = (): void => {
          if (pending) addon.abort(transfer);
        };
        const transfer = addon.start(fd, fileFd, offset, length, settle);
        if (typeof transfer === "number") settle(transfer);
        else socket.once("close", onClose);
      });
    },
  };
}

function errnoError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`sendfile: ${code}`);
  err.code = code;
  return err;
}

/** From sources (server/net/) and from the bundle (dist/): the addon under the repository root. */
function defaultPaths(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, "../..", ADDON_PATH), join(here, "..", ADDON_PATH)];
}
