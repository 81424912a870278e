export { isTransientFailure, retryIfTransient } from "./auto-retry.js";
export { cancelJob, cancelQueuedJobsByIds, cancelQueuedJobsOfTarget, USER_CANCEL_REASON } from "./cancel.js";
export { type ClaimRequest, claimNextJob, claimQueuedJob, yieldPairTurn } from "./claim.js";
export { type NewJob, type ScheduledRun, enqueueManualJobs, insertJob, insertScheduledRuns } from "./enqueue.js";
export type { JobsEnv } from "./env.js";
export { IllegalJobTransitionError } from "./errors.js";
export {
  DEFAULT_MAX_BUFFERED,
  type JobEvents,
  type JobFilter,
  type SubscribeOptions,
  createJobEvents,
} from "./events.js";
export { type FailureCause, type FailureStep, type Job, type JobReason, type JobState, JOB_STATES } from "./job.js";
export { expireLeases, extendLease } from "./lease.js";
export { loadJobs, pairKey } from "./rows.js";
export { DEFAULT_JOB_LIMIT, type JobListFilter, MAX_JOB_LIMIT, getJob, listJobs } from "./list.js";
export { retryJob } from "./retry.js";
export { ACTIVE_STATES, FINAL_STATES, TRANSITIONS, canTransition, isFinal } from "./states.js";
export { type JobOutcome, finishJob, startJob } from "./transition.js";
