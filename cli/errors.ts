/**
 * Failures the command line reports, and the one place that turns any error
 * into a line for people and an exit status:
 *   1  the server refused or failed the request (its message and code are shown)
 *   2  the command line or the client configuration is wrong
 *   3  the server could not be reached, or did not accept the API key
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import { ConfigError } from "../lib/config.js";
import type { ClientSettings } from "./config.js";

/** Exit statuses; documented in `vieter --help`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, connection: 3 } as const;

/** A failure with a message ready for people. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** The arguments or client configuration are wrong; nothing was sent. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** A plain-HTTP request (publish) answered with an error status. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const procedures = new WeakMap<object, string>();

/** Remembers which RPC an error came from, so Unimplemented can name it. */
export function noteProcedure(err: unknown, procedure: string): void {
  if (typeof err === "object" && err !== null && !procedures.has(err)) procedures.set(err, procedure);
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset",
  EPROTO: "TLS handshake failed",
};

/** The reason a connection failed, when `err` is a network error. */
function networkReason(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code in NETWORK_CODES) return NETWORK_CODES[code];
  }
  return undefined;
}

/** One line and an exit status for any failure. `settings` is known once config was read. */
export function explain(err: unknown, settings: ClientSettings | undefined): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof ConfigError) return { message: err.message, exitCode: EXIT.usage };
  const where = settings ? `the Vieter server at ${settings.address}` : "the Vieter server";
  const unreachable = networkReason(err);
  if (unreachable !== undefined && settings) {
    return {
      message: `cannot reach ${where} (${unreachable}); is it running? The address comes from ${settings.addressSource}.`,
      exitCode: EXIT.connection,
    };
  }
  const keyFrom = settings ? ` from ${settings.apiKeySource}` : "";
  if (err instanceof HttpStatusError) {
    if (err.status === 401) return { message: `${where} refused the API key${keyFrom}`, exitCode: EXIT.connection };
    return { message: `${err.message} (HTTP ${err.status})`, exitCode: EXIT.failed };
  }
  if (err instanceof ConnectError) {
    const code = codeToString(err.code);
    if (err.code === Code.Unauthenticated) {
      return { message: `${where} refused the API key${keyFrom} (${code})`, exitCode: EXIT.connection };
    }
    if (err.code === Code.PermissionDenied) {
      return {
        message: `${err.rawMessage} (${code}); the key${keyFrom} is not the server's admin key`,
        exitCode: EXIT.connection,
      };
    }
    if (err.code === Code.Unimplemented) {
      const what = procedures.get(err) ?? "this request";
      return {
        message: `${where} does not support ${what} yet (${code}); it may be older than this client`,
        exitCode: EXIT.failed,
      };
    }
    return { message: `${err.rawMessage} (${code})`, exitCode: EXIT.failed };
  }
  return { message: `unexpected error: ${err instanceof Error ? err.message : String(err)}`, exitCode: EXIT.failed };
}
