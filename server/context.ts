/**
 * Everything the server's parts share, built once at start-up and passed
 * explicitly (no module-level singletons). Tests override parts of it.
 */
import type { Logger } from "pino";
import type { AgentHub } from "./agents/hub.js";
import type { Authenticator } from "./auth/authenticator.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { JobEvents } from "./jobs/index.js";
import type { Logs } from "./logs/index.js";
import type { Repository } from "./repo/repository.js";
import type { Store } from "./store/orm.js";

/** The server's shared dependencies. */
export interface AppContext {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly store: Store;
  readonly clock: Clock;
  readonly authenticator: Authenticator;
  /** Job changes, published by the jobs domain and read by WatchJobs. */
  readonly jobEvents: JobEvents;
  /** Absolute data folder. */
  readonly dataDir: string;
  /** Absolute package folder. */
  readonly pkgDir: string;
  /** The pacman repositories. */
  readonly repository: Repository;
  /** Build logs: written through the agent protocol, read by LogService and the content route. */
  readonly logs: Logs;
  /** Connected build agents and job dispatch. */
  readonly agents: AgentHub;
}
