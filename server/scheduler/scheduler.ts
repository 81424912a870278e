/**
 * The timed part: toad-scheduler runs a scheduling pass every
 * `intervalSeconds`; `start` first reconciles the slots with the targets and
 * runs one pass at once (so runs missed while the server was down happen
 * now, collapsed to one per target×arch).
 */
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from "toad-scheduler";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { JobEvents } from "../jobs/index.js";
import type { Store } from "../store/orm.js";
import { type PassResult, runSchedulingPass } from "./pass.js";
import { type ReconcileResult, reconcileSlots } from "./reconcile.js";
import type { ScheduleSettings } from "./settings.js";

/**
 * Seconds between passes. Cron has minute precision and an idle pass is one
 * indexed query, so a run starts at most this long after its minute.
 */
export const DEFAULT_PASS_INTERVAL_SECONDS = 10;

/** What the scheduler needs. */
export interface SchedulerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: JobEvents;
  readonly settings: ScheduleSettings;
  readonly logger: Logger;
  readonly intervalSeconds?: number;
}

/** A running (or not yet started) scheduler. */
export interface Scheduler {
  /** Reconciles the slots, runs the first pass, then starts the timer. */
  start(): Promise<{ reconciled: ReconcileResult; firstPass: PassResult }>;
  /** One pass now; joins the pass in progress instead of overlapping it. */
  runPass(): Promise<PassResult>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Creates a scheduler; nothing runs until `start`. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const toad = new ToadScheduler();
  let inFlight: Promise<PassResult> | undefined;

  const runPass = (): Promise<PassResult> => {
    inFlight ??= runSchedulingPass({ em: deps.store.em.fork(), clock: deps.clock, events: deps.events })
      .then((result) => {
        if (result.dueSlots > 0 || result.lost.length > 0) {
          deps.logger.info(
            { due: result.dueSlots, queued: result.queued.length, lost: result.lost.length },
            "scheduling pass",
          );
        }
        return result;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    async start() {
      const reconciled = await reconcileSlots(deps.store.em.fork(), deps.settings, deps.clock.now());
      deps.logger.info({ ...reconciled }, "schedules reconciled");
      const firstPass = await runPass();
      const task = new AsyncTask(
        "scheduling-pass",
        async () => void (await runPass()),
        (err) => deps.logger.error({ err }, "scheduling pass failed"),
      );
      const seconds = deps.intervalSeconds ?? DEFAULT_PASS_INTERVAL_SECONDS;
      toad.addSimpleIntervalJob(
        new SimpleIntervalJob({ seconds }, task, { id: "scheduling-pass", preventOverrun: true }),
      );
      return { reconciled, firstPass };
    },
    runPass,
    async stop() {
      toad.stop();
      await inFlight?.catch(() => undefined);
    },
  };
}
