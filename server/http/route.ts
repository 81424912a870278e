import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { Access, Principal } from "../auth/principal.js";

/** A request on either HTTP version. */
export type PlainRequest = IncomingMessage | Http2ServerRequest;
/** A response on either HTTP version. */
export type PlainResponse = ServerResponse | Http2ServerResponse;

/** What a matched route receives besides the request. */
export interface RouteCall {
  /** Decoded, non-empty path segments. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly principal: Principal | undefined;
}

/** A plain HTTP route (pacman, publish, health). */
export interface PlainRoute {
  readonly method: readonly string[];
  /** Whether the route handles these path segments. */
  match(segments: readonly string[]): boolean;
  /** Who may call it; checked before `handle` runs. */
  readonly access: Access;
  handle(req: PlainRequest, res: PlainResponse, call: RouteCall): void | Promise<void>;
}
