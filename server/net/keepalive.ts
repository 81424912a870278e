/**
 * HTTP/2 keepalive on the server's side. A peer that vanished without a FIN
 * (power cut, cable, NAT state lost) leaves its session open forever: Node's
 * HTTP/2 server pings nobody. An agent's stream in such a session would keep
 * taking jobs it never gets; pinging finds the dead session and closes it, so
 * the hub sees the agent go. The agent pings too (lib/agent-protocol.ts, 8).
 */
import type http2 from "node:http2";

/** How often a session is pinged, and how long the peer has to answer. */
export interface KeepaliveOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** A dead agent connection is gone within 25 s: before its jobs' 30 s lost deadline. */
export const SERVER_KEEPALIVE: KeepaliveOptions = { intervalMs: 15_000, timeoutMs: 10_000 };

/**
 * Pings `session` every `intervalMs`, one PING at a time; one not answered
 * within `timeoutMs` destroys the session, which ends its streams with an
 * error. Stops by itself when the session closes.
 */
export function keepAlive(session: http2.Http2Session, options: KeepaliveOptions): void {
  let unanswered: NodeJS.Timeout | undefined;
  const ping = (): void => {
    if (unanswered || session.destroyed || session.closed) return;
    unanswered = setTimeout(
      () => session.destroy(new Error(`HTTP/2 PING not answered within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const sent = session.ping(() => {
      clearTimeout(unanswered);
      unanswered = undefined;
    });
    // Too many PINGs in flight is Node's own limit; the next interval tries again.
    if (!sent) {
      clearTimeout(unanswered);
      unanswered = undefined;
    }
  };
  const interval = setInterval(ping, options.intervalMs);
  interval.unref();
  session.once("close", () => {
    clearInterval(interval);
    clearTimeout(unanswered);
  });
}
