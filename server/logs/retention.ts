/**
 * Log retention like Vieter's: with `max_log_age` days > 0, logs whose build
 * started more than that long ago are removed once at start and then at
 * every occurrence of `log_removal_schedule` (cron, in the server's time
 * zone). A tick every `tickSeconds` compares the clock with the next
 * occurrence, so an injected clock drives it in tests.
 */
import type { Logger } from "pino";
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from "toad-scheduler";
import type { Clock } from "../clock.js";
import { CronSchedule } from "../cron/index.js";
import type { Logs } from "./logs.js";
import type { RemovalResult } from "./remove.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The retention settings (server config keys). */
export interface RetentionSettings {
  /** `max_log_age`: days to keep a log; 0 keeps logs forever. */
  readonly maxLogAgeDays: number;
  /** `log_removal_schedule`. */
  readonly schedule: string;
  readonly timeZone: string;
}

/** What retention needs. */
export interface RetentionDeps {
  readonly logs: Logs;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: RetentionSettings;
  /** Seconds between clock checks; default 60 (cron has minute precision). */
  readonly tickSeconds?: number;
}

/** The retention timer. */
export interface LogRetention {
  /** Removes old logs once and starts the timer; undefined when retention is off. */
  start(): Promise<RemovalResult | undefined>;
  /** Runs a removal if the next occurrence has come; what the timer calls. */
  tick(): Promise<RemovalResult | undefined>;
  /** When the next removal runs; undefined when off or not started. */
  readonly nextRunAt: Date | undefined;
  stop(): Promise<void>;
}

/** Creates the retention timer; nothing runs until `start`. */
export function createLogRetention(deps: RetentionDeps): LogRetention {
  const { maxLogAgeDays, schedule, timeZone } = deps.settings;
  const cron = CronSchedule.parse(schedule, "log_removal_schedule");
  const toad = new ToadScheduler();
  let nextRunAt: Date | undefined;
  let inFlight: Promise<RemovalResult> | undefined;
  let stopped = false;

  const run = (): Promise<RemovalResult> => {
    inFlight ??= (async () => {
      const now = deps.clock.now();
      const cutoff = new Date(now.getTime() - maxLogAgeDays * DAY_MS);
      const result = await deps.logs.removeLogsStartedBefore(cutoff);
      nextRunAt = cron.next(now, timeZone);
      const failed = result.failed > 0 ? ` (${result.failed} could not be removed)` : "";
      deps.logger.info({ ...result, cutoff, nextRunAt }, `removed ${result.removed} build logs${failed}`);
      return result;
    })().finally(() => (inFlight = undefined));
    return inFlight;
  };

  const tick = async (): Promise<RemovalResult | undefined> => {
    if (nextRunAt === undefined || deps.clock.now() < nextRunAt) return undefined;
    return run();
  };

  return {
    async start() {
      if (maxLogAgeDays === 0) {
        deps.logger.info("build logs are kept forever (max_log_age = 0)");
        return undefined;
      }
      const first = await run();
      if (stopped) return first;
      const task = new AsyncTask(
        "log-removal",
        async () => void (await tick()),
        (err) => deps.logger.error({ err }, "removing old build logs failed"),
      );
      const seconds = deps.tickSeconds ?? 60;
      toad.addSimpleIntervalJob(new SimpleIntervalJob({ seconds }, task, { id: "log-removal", preventOverrun: true }));
      return first;
    },
    tick,
    get nextRunAt() {
      return nextRunAt;
    },
    async stop() {
      stopped = true;
      toad.stop();
      await inFlight?.catch(() => undefined);
    },
  };
}
