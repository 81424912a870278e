/**
 * Who is calling. The admin holds the API key; agents hold their own tokens
 * (issued per agent) and may only use the agent protocol.
 */
export type Principal = { readonly kind: "admin" } | { readonly kind: "agent"; readonly tokenName: string };

/** What a route or RPC requires of its caller. */
export type Access = "public" | "admin" | "agent";

/** Whether `principal` may use something that requires `access`. */
export function allows(access: Access, principal: Principal | undefined): boolean {
  if (access === "public") return true;
  if (principal === undefined) return false;
  return principal.kind === access;
}
