/**
 * Turns the credential a request carries into a {@link Principal}. The one
 * place secrets are compared; both transports (Connect and plain HTTP) use it.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Principal } from "./principal.js";

/** Request headers, as either transport has them. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** Checks credentials against the configured secrets. */
export interface Authenticator {
  /** The caller, or undefined when the request carries no valid credential. */
  authenticate(headers: HeaderSource): Principal | undefined;
}

/** Secrets the server accepts. */
export interface Credentials {
  readonly apiKey: string;
  /** Agent tokens by name (a later issue issues them through an RPC too). */
  readonly agentTokens?: ReadonlyMap<string, string>;
}

// Comparing fixed-length digests keeps the comparison constant-time whatever
// the length of the presented value.
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** Reads the credential: `X-Api-Key`, or `Authorization: Bearer <token>`. */
export function presentedCredential(headers: HeaderSource): string | undefined {
  const key = headers.get("x-api-key");
  if (key) return key.trim();
  const auth = headers.get("authorization");
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1];
}

/** An authenticator for the admin API key and agent tokens. */
export function createAuthenticator(credentials: Credentials): Authenticator {
  const adminDigest = digest(credentials.apiKey);
  const agents = [...(credentials.agentTokens ?? new Map<string, string>())].map(
    ([name, token]) => [name, digest(token)] as const,
  );
  return {
    authenticate(headers) {
      const presented = presentedCredential(headers);
      if (presented === undefined || presented === "") return undefined;
      const d = digest(presented);
      if (timingSafeEqual(d, adminDigest)) return { kind: "admin" };
      for (const [name, tokenDigest] of agents) {
        if (timingSafeEqual(d, tokenDigest)) return { kind: "agent", tokenName: name };
      }
      return undefined;
    },
  };
}
