/** Job messages ⇄ domain jobs, for JobService. */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  FailureStep as FailureStepEnum,
  type Job as JobMessage,
  JobReason as JobReasonEnum,
  JobSchema,
  JobState as JobStateEnum,
} from "../../gen/vieter/v1/job_service_pb.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { FailureStep, Job, JobReason, JobState } from "../jobs/index.js";

const STATES: Record<JobState, JobStateEnum> = {
  queued: JobStateEnum.QUEUED,
  dispatched: JobStateEnum.DISPATCHED,
  running: JobStateEnum.RUNNING,
  succeeded: JobStateEnum.SUCCEEDED,
  failed: JobStateEnum.FAILED,
  skipped: JobStateEnum.SKIPPED,
  timed_out: JobStateEnum.TIMED_OUT,
  cancelled: JobStateEnum.CANCELLED,
  lost: JobStateEnum.LOST,
};

const REASONS: Record<JobReason, JobReasonEnum> = {
  scheduled: JobReasonEnum.SCHEDULED,
  manual: JobReasonEnum.MANUAL,
  retry: JobReasonEnum.RETRY,
};

const STEPS: Record<FailureStep, FailureStepEnum> = {
  image: FailureStepEnum.IMAGE,
  fetch: FailureStepEnum.FETCH,
  prepare: FailureStepEnum.PREPARE,
  version_check: FailureStepEnum.VERSION_CHECK,
  build: FailureStepEnum.BUILD,
  publish: FailureStepEnum.PUBLISH,
  timeout: FailureStepEnum.TIMEOUT,
  agent_lost: FailureStepEnum.AGENT_LOST,
  infrastructure: FailureStepEnum.INFRASTRUCTURE,
};

const STATE_NAMES = new Map<JobStateEnum, JobState>(
  (Object.entries(STATES) as [JobState, JobStateEnum][]).map(([name, value]) => [value, name]),
);

/** Domain states for a request's state filter; InvalidArgument for UNSPECIFIED or unknown numbers. */
export function toStates(states: readonly JobStateEnum[]): JobState[] {
  return states.map((s) => {
    const name = STATE_NAMES.get(s);
    if (name === undefined) throw new InvalidArgumentError("states", `${s} is not a job state`);
    return name;
  });
}

/** The message form of a job state. */
export function toJobStateEnum(state: JobState): JobStateEnum {
  return STATES[state];
}

/** The message form of a job. */
export function toJobMessage(job: Job): JobMessage {
  const ts = (d: Date | undefined) => (d ? timestampFromDate(d) : undefined);
  return create(JobSchema, {
    id: BigInt(job.id),
    targetId: BigInt(job.targetId),
    arch: job.arch,
    force: job.force,
    reason: REASONS[job.reason],
    state: STATES[job.state],
    agent: job.agent,
    attempt: job.attempt,
    retryOfJobId: BigInt(job.retryOfId ?? 0),
    cause: job.cause && {
      step: job.cause.step ? STEPS[job.cause.step] : FailureStepEnum.UNSPECIFIED,
      ...(job.cause.exitCode !== undefined ? { exitCode: job.cause.exitCode } : {}),
      message: job.cause.message,
      lastLines: [...job.cause.lastLines],
      transient: job.cause.transient ?? false,
    },
    createTime: ts(job.createdAt),
    dueTime: ts(job.dueAt),
    dispatchTime: ts(job.dispatchedAt),
    startTime: ts(job.startedAt),
    endTime: ts(job.endedAt),
    cancelRequestTime: ts(job.cancelRequestedAt),
  });
}
