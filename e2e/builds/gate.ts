/**
 * A gate a build waits at: the PKGBUILD's build() polls `GET /<name>` on
 * 127.0.0.1 until the test opens the gate. The first poll tells the test the
 * build is inside build(), without reading its log; the test decides when it
 * may finish (or never lets it, for timeouts and cancels).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running gate server. */
export interface Gate {
  /** Gates polled at least once: their builds are in build() now or were. */
  readonly reached: Set<string>;
  open(name: string): void;
  /** A build() body that waits for gate `name`, then writes the fixture's `hello` script. */
  buildBody(name: string): string;
  close(): Promise<void>;
}

/** Starts a gate server on 127.0.0.1 (build containers use host networking). */
export async function startGate(): Promise<Gate> {
  const opened = new Set<string>();
  const reached = new Set<string>();
  const server = createServer((req, res) => {
    const name = (req.url ?? "/").slice(1);
    reached.add(name);
    res.writeHead(opened.has(name) ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    reached,
    open: (name) => void opened.add(name),
    buildBody: (name) =>
      `echo 'waiting at gate ${name}'; until curl -sf ${url}/${name} >/dev/null; do sleep 0.3; done; ` +
      `printf '#!/bin/sh\\necho hello\\n' >hello`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
