/**
 * Per-call values the interceptors set and handlers read: the caller and the
 * call's own EntityManager (a fork, so no identity map is shared between calls).
 */
import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { EntityManager } from "@mikro-orm/sqlite";
import type { Principal } from "../auth/principal.js";

/** The authenticated caller; undefined for public methods called anonymously. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "principal" });

/** The call's forked EntityManager. */
export const entityManagerKey = createContextKey<EntityManager | undefined>(undefined, { description: "em" });

/** The call's EntityManager; set by the store interceptor for every call. */
export function callEm(ctx: HandlerContext): EntityManager {
  const em = ctx.values.get(entityManagerKey);
  if (!em) throw new Error("no EntityManager in the call context: store interceptor missing");
  return em;
}

/** The call's principal; set by the auth interceptor. */
export function callPrincipal(ctx: HandlerContext): Principal | undefined {
  return ctx.values.get(principalKey);
}
