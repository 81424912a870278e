import { FailedPreconditionError } from "../../lib/errors.js";
import type { JobState } from "./job.js";

/** A state change the job state machine does not allow (FailedPrecondition to callers). */
export class IllegalJobTransitionError extends FailedPreconditionError {
  override readonly name = "IllegalJobTransitionError";
  constructor(
    readonly jobId: number,
    readonly from: JobState,
    readonly to: JobState,
  ) {
    super(`job ${jobId} cannot go from ${from} to ${to}`);
  }
}
