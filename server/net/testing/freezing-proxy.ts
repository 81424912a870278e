/**
 * A TCP proxy for tests that can go silent: `freeze()` makes every open
 * connection drop what it carries, in both directions, without closing
 * anything — a peer that vanished without a FIN. Connections made after a
 * freeze are forwarded normally.
 */
import net from "node:net";

/** A running proxy. */
export interface FreezingProxy {
  readonly port: number;
  /** Open connections go silent; new ones still work. */
  freeze(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to 127.0.0.1:`targetPort`. */
export async function startFreezingProxy(targetPort: number): Promise<FreezingProxy> {
  const open = new Set<{ frozen: boolean; sockets: net.Socket[] }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    const link = { frozen: false, sockets: [client, upstream] };
    open.add(link);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on("data", (chunk) => {
        if (!link.frozen) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      open.delete(link);
      client.destroy();
      upstream.destroy();
    };
    // A frozen link shows nothing, not even a close, to the other side.
    client.on("close", () => link.frozen || end());
    upstream.on("close", () => link.frozen || end());
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      for (const link of open) link.frozen = true;
    },
    async close() {
      for (const link of open) for (const s of link.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
