/** How jobs look in each output mode (`targets build` now; `jobs …` later). */
import { FailureStep, type Job, JobReason, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { dateOf, enumWord, localTime } from "./format.js";
import type { Column } from "./table.js";

/** Why a job did not succeed, in `--json`. */
export interface FailureView {
  step: string;
  exitCode: number | null;
  message: string;
  lastLines: string[];
}

/** A job in `--json`. */
export interface JobView {
  id: number;
  targetId: number;
  arch: string;
  force: boolean;
  reason: string;
  state: string;
  agent: string;
  attempt: number;
  retryOfJobId: number;
  cause: FailureView | null;
  createTime: Date | null;
  dueTime: Date | null;
  dispatchTime: Date | null;
  startTime: Date | null;
  endTime: Date | null;
}

/** The view of a job message. */
export function jobView(j: Job): JobView {
  return {
    id: Number(j.id),
    targetId: Number(j.targetId),
    arch: j.arch,
    force: j.force,
    reason: enumWord(JobReason, j.reason),
    state: enumWord(JobState, j.state),
    agent: j.agent,
    attempt: j.attempt,
    retryOfJobId: Number(j.retryOfJobId),
    cause:
      j.cause === undefined
        ? null
        : {
            step: enumWord(FailureStep, j.cause.step),
            exitCode: j.cause.exitCode ?? null,
            message: j.cause.message,
            lastLines: [...j.cause.lastLines],
          },
    createTime: dateOf(j.createTime),
    dueTime: dateOf(j.dueTime),
    dispatchTime: dateOf(j.dispatchTime),
    startTime: dateOf(j.startTime),
    endTime: dateOf(j.endTime),
  };
}

/** One job per line. */
export const JOB_COLUMNS: readonly Column<JobView>[] = [
  { header: "id", cell: (j) => String(j.id), align: "right" },
  { header: "target", cell: (j) => String(j.targetId), align: "right" },
  { header: "arch", cell: (j) => j.arch },
  { header: "state", cell: (j) => j.state },
  { header: "reason", cell: (j) => j.reason },
  { header: "force", cell: (j) => (j.force ? "yes" : "no"), raw: (j) => String(j.force) },
  { header: "created", cell: (j) => localTime(j.createTime) },
];
