import type { Logger } from "pino";
import { DEFAULT_HEARTBEAT_SECONDS } from "../../lib/agent-protocol.js";
import type { Clock } from "../clock.js";
import type { ServerConfig } from "../config.js";
import type { JobEvents } from "../jobs/index.js";
import type { Store } from "../store/orm.js";
import { AgentHub, type BuildLogSink } from "./hub.js";

/** The agent hub as the server's configuration sets it up. */
export function createAgentHub(
  config: ServerConfig,
  parts: { store: Store; clock: Clock; events: JobEvents; logger: Logger; logs?: BuildLogSink },
): AgentHub {
  return new AgentHub({
    ...parts,
    defaults: { baseImage: config.base_image, timeoutSeconds: config.default_build_timeout },
    leaseSeconds: config.agent_lease_timeout,
    maxTransientRetries: config.max_transient_retries,
    maxLostRequeues: config.max_lost_requeues,
    // Several heartbeats fit in one lease, so one late heartbeat does not lose a job.
    heartbeatSeconds: Math.max(1, Math.min(DEFAULT_HEARTBEAT_SECONDS, Math.floor(config.agent_lease_timeout / 4))),
  });
}
