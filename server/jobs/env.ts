import type { EntityManager } from "@mikro-orm/sqlite";
import type { Clock } from "../clock.js";
import type { JobEvents } from "./events.js";

/**
 * What every job operation needs: the caller's EntityManager, the time
 * source, and the notifier that hears about each change once it is committed.
 */
export interface JobsEnv {
  readonly em: EntityManager;
  readonly clock: Clock;
  readonly events: JobEvents;
}
