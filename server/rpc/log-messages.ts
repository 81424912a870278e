/** Log messages ⇄ domain logs, for LogService. */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { FailureStep as FailureStepEnum, JobState as JobStateEnum } from "../../gen/vieter/v1/job_service_pb.js";
import { type BuildLog as BuildLogMessage, BuildLogSchema } from "../../gen/vieter/v1/log_service_pb.js";
import { InvalidArgumentError } from "../../lib/errors.js";
import { JOB_STATES } from "../jobs/index.js";
import type { BuildLog, LogResult } from "../logs/index.js";

// Domain names are the enum names in lower case ("timed_out" ⇄ TIMED_OUT);
// log-messages.test.ts checks that every state and step has its value.
const stateValue = (s: string) => JobStateEnum[s.toUpperCase() as keyof typeof JobStateEnum];
const stepValue = (s: string) => FailureStepEnum[s.toUpperCase() as keyof typeof FailureStepEnum];

/** Domain results for a request's result filter; InvalidArgument for UNSPECIFIED or unknown numbers. */
export function toResults(values: readonly JobStateEnum[]): LogResult[] {
  return values.map((v) => {
    const name = (JobStateEnum[v] ?? "").toLowerCase() as LogResult;
    if (!JOB_STATES.includes(name)) throw new InvalidArgumentError("results", `${v} is not a job state`);
    return name;
  });
}

/** The message form of a log. */
export function toLogMessage(log: BuildLog): BuildLogMessage {
  return create(BuildLogSchema, {
    id: BigInt(log.id),
    jobId: BigInt(log.jobId),
    targetId: BigInt(log.targetId),
    arch: log.arch,
    agent: log.agent,
    startTime: timestampFromDate(log.startedAt),
    endTime: log.endedAt && timestampFromDate(log.endedAt),
    ...(log.exitCode !== undefined ? { exitCode: log.exitCode } : {}),
    result: stateValue(log.result),
    cause: log.cause && {
      step: log.cause.step ? stepValue(log.cause.step) : FailureStepEnum.UNSPECIFIED,
      ...(log.cause.exitCode !== undefined ? { exitCode: log.cause.exitCode } : {}),
      message: log.cause.message,
      lastLines: [...log.cause.lastLines],
    },
    size: BigInt(log.size),
  });
}
