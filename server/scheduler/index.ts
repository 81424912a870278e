export { type PassResult, runSchedulingPass } from "./pass.js";
export { type ReconcileResult, reconcileSchedules } from "./reconcile.js";
export { type SchedulableTarget, nextRunsOf, scheduleTarget } from "./schedule-target.js";
export { DEFAULT_PASS_INTERVAL_SECONDS, type Scheduler, type SchedulerDeps, createScheduler } from "./scheduler.js";
export { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";
