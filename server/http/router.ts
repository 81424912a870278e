/**
 * Plain HTTP routes beside the RPCs: health now, the pacman routes later.
 * Routes are tried in order; the router decodes the path, checks access
 * through the shared authenticator and maps domain errors once.
 */
import type { Logger } from "pino";
import type { Authenticator } from "../auth/authenticator.js";
import { allows } from "../auth/principal.js";
import type { PlainRequest, PlainResponse, PlainRoute } from "./route.js";
import { sendError, statusForError } from "./respond.js";

/** Handles a request no RPC matched. */
export type PlainHandler = (req: PlainRequest, res: PlainResponse) => void;

/** Builds the fallback handler for the Connect adapter. */
export function createPlainRouter(
  routes: readonly PlainRoute[],
  authenticator: Authenticator,
  logger: Logger,
): PlainHandler {
  return (req, res) => {
    void dispatch(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, "internal error in HTTP route");
      if (!res.headersSent) sendError(res, 500, "internal error");
      else res.destroy();
    });
  };

  async function dispatch(req: PlainRequest, res: PlainResponse): Promise<void> {
    // Split by hand: URL parsing would resolve "..", "%2e%2e" and friends, and
    // such segments must reach the name checks to be refused, not be rewritten.
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const pathname = q === -1 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q === -1 ? "" : raw.slice(q + 1));
    const segments = decodeSegments(pathname);
    if (segments === undefined) return sendError(res, 400, `malformed path ${JSON.stringify(pathname)}`);
    const candidates = routes.filter((r) => r.match(segments));
    const route = candidates.find((r) => r.method.includes(req.method ?? "GET"));
    if (!route) {
      if (candidates.length > 0) {
        res.setHeader("allow", [...new Set(candidates.flatMap((r) => r.method))].join(", "));
        return sendError(res, 405, `method ${req.method} not allowed on ${pathname}`);
      }
      return sendError(res, 404, "not found");
    }
    const principal = authenticator.authenticate({ get: (name) => headerValue(req, name) });
    if (!allows(route.access, principal)) {
      return principal === undefined
        ? sendError(res, 401, "missing or invalid API key (send X-Api-Key or Authorization: Bearer)")
        : sendError(res, 403, `a ${principal.kind} credential cannot do this`);
    }
    try {
      await route.handle(req, res, { segments, query, principal });
    } catch (err) {
      const status = statusForError(err);
      if (status === undefined || res.headersSent) throw err;
      sendError(res, status, (err as Error).message);
    }
  }
}

/**
 * Whether a request is a GET or HEAD of `/<repo>/<arch>/<file>` (three
 * segments, no query): what pacman asks for. RPC paths have two segments.
 */
export function isPacmanDownload(req: PlainRequest): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "";
  if (url.charCodeAt(0) !== 47 /* "/" */ || url.includes("?") || url.includes("//")) return false;
  let slashes = 0;
  for (let i = 0; i < url.length; i++) if (url.charCodeAt(i) === 47) slashes++;
  return slashes === 3 && !url.endsWith("/");
}

/** Whether a request is `POST /<repo>/publish` (any query): what build agents send. */
export function isPublish(req: PlainRequest): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  return path.endsWith("/publish") && path.lastIndexOf("/", path.length - 9) === 0 && path.length > 9;
}

/** Splits and percent-decodes a path; empty segments are dropped as in Vieter. */
export function decodeSegments(pathname: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    try {
      out.push(decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return out;
}

function headerValue(req: PlainRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
