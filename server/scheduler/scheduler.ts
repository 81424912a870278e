/**
 * The timed part: toad-scheduler runs a scheduling pass every
 * `intervalSeconds`; `start` first reconciles every target×arch's next run
 * with the targets and settings, then runs one pass at once. Runs missed
 * while the server was down need nothing: their jobs are queued and due, one
 * per target×arch, and are handed out as soon as an agent asks.
 */
import type { Logger } from "pino";
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from "toad-scheduler";
import type { Clock } from "../clock.js";
import type { JobEvents } from "../jobs/index.js";
import type { Store } from "../store/orm.js";
import { type PassResult, runSchedulingPass } from "./pass.js";
import { type ReconcileResult, reconcileSchedules } from "./reconcile.js";
import type { ScheduleSettings } from "./settings.js";

/**
 * Seconds between passes. A pass only queues the run after a job a user
 * cancelled (a claim queues the run after the job it takes), which is not
 * due before the next cron minute, so this bounds how late such a next run
 * appears, never how late a due run starts.
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
  /** Reconciles the next runs, runs the first pass, then starts the timer. */
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
  const env = () => ({ em: deps.store.em.fork(), clock: deps.clock, events: deps.events });

  const runPass = (): Promise<PassResult> => {
    inFlight ??= runSchedulingPass(env(), deps.settings)
      .then((result) => {
        if (result.taken > 0)
          deps.logger.debug({ taken: result.taken, queued: result.queued.length }, "next runs queued");
        return result;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    async start() {
      const reconciled = await reconcileSchedules(deps.store.em.fork(), deps.settings, deps.clock.now());
      deps.events.publish(reconciled.cancelled);
      const { created, updated, cancelled, unschedulable } = reconciled;
      deps.logger.info({ created, updated, cancelled: cancelled.length, unschedulable }, "schedules reconciled");
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
