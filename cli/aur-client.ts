/**
 * A small client of the AUR's RPC interface, version 5
 * (https://aur.archlinux.org/rpc): search by name and description, and info
 * on named packages. The base URL is configurable (`aur_url`, `--aur-url`).
 */
import { CliError, EXIT } from "./errors.js";

/** One package as the AUR RPC describes it (the fields we use). */
export interface AurPackage {
  readonly Name: string;
  readonly PackageBase: string;
  readonly Version: string;
  readonly Description: string | null;
  readonly URL: string | null;
  readonly NumVotes: number;
  readonly Popularity: number;
  /** Unix time it was flagged out of date, or null. */
  readonly OutOfDate: number | null;
  readonly Maintainer: string | null;
  readonly FirstSubmitted: number;
  /** Unix time. */
  readonly LastModified: number;
}

interface RpcResponse {
  readonly type: string;
  readonly error?: string;
  readonly results?: AurPackage[];
}

/** The AUR at `base`; `source` says where the URL came from, for errors. */
export interface Aur {
  readonly url: string;
  readonly source: string;
}

/** Packages whose name or description contains `term` (the AUR wants at least 2 characters). */
export function searchAur(aur: Aur, term: string): Promise<AurPackage[]> {
  return call(aur, `/rpc/v5/search/${encodeURIComponent(term)}?by=name-desc`);
}

/** The named packages that exist; names the AUR does not know are left out. */
export function aurInfo(aur: Aur, names: readonly string[]): Promise<AurPackage[]> {
  const query = names.map((n) => `arg[]=${encodeURIComponent(n)}`).join("&");
  return call(aur, `/rpc/v5/info?${query}`);
}

async function call(aur: Aur, path: string): Promise<AurPackage[]> {
  let res: Response;
  try {
    res = await fetch(`${aur.url}${path}`, { headers: { accept: "application/json" } });
  } catch (err) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, "bad port") is its cause.
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(
      `cannot reach the AUR at ${aur.url} (${reason}); the address comes from ${aur.source}`,
      EXIT.connection,
    );
  }
  let body: RpcResponse;
  try {
    body = (await res.json()) as RpcResponse;
  } catch {
    throw new CliError(`the AUR at ${aur.url} answered HTTP ${res.status} without a JSON body`);
  }
  // The RPC reports its errors (e.g. "Too many package results.") in the body, often with HTTP 200.
  if (body.type === "error" || !Array.isArray(body.results)) {
    throw new CliError(`the AUR refused the request: ${body.error ?? `unexpected answer of type ${body.type}`}`);
  }
  return body.results;
}
