import { describe, expect, it } from "vitest";
import { createAuthenticator, presentedCredential } from "./authenticator.js";
import { allows } from "./principal.js";

const headers = (h: Record<string, string | undefined>) => ({ get: (n: string) => h[n.toLowerCase()] });

describe("authenticator", () => {
  const auth = createAuthenticator({ apiKey: "admin-key", agentTokens: new Map([["builder-1", "agent-token"]]) });

  it("knows the admin key in either header", () => {
    expect(auth.authenticate(headers({ "x-api-key": "admin-key" }))).toEqual({ kind: "admin" });
    expect(auth.authenticate(headers({ authorization: "Bearer admin-key" }))).toEqual({ kind: "admin" });
    expect(auth.authenticate(headers({ authorization: "bearer   admin-key " }))).toEqual({ kind: "admin" });
  });

  it("knows agent tokens as agents, not admins", () => {
    const p = auth.authenticate(headers({ "x-api-key": "agent-token" }));
    expect(p).toEqual({ kind: "agent", tokenName: "builder-1" });
    expect(allows("admin", p)).toBe(false);
    expect(allows("agent", p)).toBe(true);
    expect(allows("publisher", p)).toBe(true);
  });

  it.each([
    {},
    { "x-api-key": "" },
    { "x-api-key": "admin-ke" },
    { "x-api-key": "admin-key2" },
    { authorization: "Basic admin-key" },
    { authorization: "Bearer" },
  ])("refuses %o", (h) => {
    expect(auth.authenticate(headers(h))).toBeUndefined();
  });

  it("prefers X-Api-Key over Authorization", () => {
    expect(presentedCredential(headers({ "x-api-key": "a", authorization: "Bearer b" }))).toBe("a");
  });

  it("lets anyone use public things and nobody anonymous use the rest", () => {
    expect(allows("public", undefined)).toBe(true);
    expect(allows("admin", undefined)).toBe(false);
    expect(allows("agent", undefined)).toBe(false);
    expect(allows("publisher", undefined)).toBe(false);
  });
});
