export { type PassResult, runSchedulingPass } from "./pass.js";
export { type ReconcileResult, reconcileSlots } from "./reconcile.js";
export { DEFAULT_PASS_INTERVAL_SECONDS, type Scheduler, type SchedulerDeps, createScheduler } from "./scheduler.js";
export { type ScheduleSettings, effectiveSchedule, nextRun } from "./settings.js";
export { type SchedulableTarget, nextRunsOf, scheduleTarget } from "./slots.js";
