/**
 * Who is calling. The admin holds the API key; agents hold their own tokens
 * (issued per agent) and may only use the agent protocol and publish the
 * packages they built.
 */
export type Principal = { readonly kind: "admin" } | { readonly kind: "agent"; readonly tokenName: string };

/** What a route or RPC requires of its caller; "publisher" is the admin or an agent. */
export type Access = "public" | "admin" | "agent" | "publisher";

/** Whether `principal` may use something that requires `access`. */
export function allows(access: Access, principal: Principal | undefined): boolean {
  if (access === "public") return true;
  if (principal === undefined) return false;
  if (access === "publisher") return true;
  return principal.kind === access;
}
