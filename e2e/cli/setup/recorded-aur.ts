/**
 * A local stand-in for the AUR (not reachable from the test machines) that
 * answers RPC v5 requests with responses recorded from aur.archlinux.org, in
 * e2e/cli/fixtures/aur/. `info` answers with the recorded packages whose
 * names were asked for, as the AUR does; every request is remembered.
 */
import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/aur/${name}.json`, import.meta.url), "utf8");

/** A running recorded AUR. */
export interface RecordedAur {
  readonly url: string;
  /** Paths and queries asked so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the recorded AUR on a free port of 127.0.0.1. */
export async function startRecordedAur(): Promise<RecordedAur> {
  const requests: string[] = [];
  const searches: Record<string, string> = {
    paru: fixture("search-paru"),
    py: fixture("search-too-many"),
  };
  const info = JSON.parse(fixture("info")) as { results: { Name: string }[] };
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://aur");
    const send = (body: string) => res.writeHead(200, { "content-type": "application/json" }).end(body);
    const search = /^\/rpc\/v5\/search\/([^/]+)$/.exec(url.pathname);
    if (search && url.searchParams.get("by") === "name-desc") {
      return send(searches[decodeURIComponent(search[1]!)] ?? fixture("search-none"));
    }
    if (url.pathname === "/rpc/v5/info") {
      const names = url.searchParams.getAll("arg[]");
      const results = info.results.filter((p) => names.includes(p.Name));
      return send(JSON.stringify({ resultcount: results.length, results, type: "multiinfo", version: 5 }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
