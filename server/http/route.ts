import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { Access, Principal } from "../auth/principal.js";

/** A request on either HTTP version. */
export type PlainRequest = Parameters<NonNullable<ConnectNodeAdapterOptions["fallback"]>>[0];
/** A response on either HTTP version. */
export type PlainResponse = Parameters<NonNullable<ConnectNodeAdapterOptions["fallback"]>>[1];

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
