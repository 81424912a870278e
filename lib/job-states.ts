/**
 * Job states as clients of the protocol see them (the CLI, tests, scripts).
 * The server's own state machine lives in server/jobs/states.ts, in domain terms.
 */
import { JobState } from "../gen/vieter/v1/job_service_pb.js";

/** States a job never leaves. */
export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set([
  JobState.SUCCEEDED,
  JobState.FAILED,
  JobState.SKIPPED,
  JobState.TIMED_OUT,
  JobState.CANCELLED,
  JobState.LOST,
]);
