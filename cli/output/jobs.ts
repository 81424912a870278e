/** How jobs look in each output mode (`jobs …`, `targets build`). */
import { FINAL_JOB_STATES } from "../../lib/job-states.js";
import { FailureStep, type Job, JobReason, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { dateOf, enumWord, localTime } from "./format.js";
import type { Column, Field } from "./table.js";

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

/** States a job never leaves. */
export const FINAL_STATES = FINAL_JOB_STATES;

/** Final states that count as "the build did its job" for exit statuses. */
export const GOOD_STATES: ReadonlySet<JobState> = new Set([JobState.SUCCEEDED, JobState.SKIPPED]);

/** The view of a failure cause, or null. */
export function failureView(cause: Job["cause"]): FailureView | null {
  return cause === undefined
    ? null
    : {
        step: enumWord(FailureStep, cause.step),
        exitCode: cause.exitCode ?? null,
        message: cause.message,
        lastLines: [...cause.lastLines],
      };
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
    cause: failureView(j.cause),
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

/** `jobs list` adds who ran it and when it ended to the columns above. */
export const JOB_LIST_COLUMNS: readonly Column<JobView>[] = [
  ...JOB_COLUMNS,
  { header: "agent", cell: (j) => j.agent },
  { header: "ended", cell: (j) => localTime(j.endTime) },
];

/** The failure's lines of a record (none when there is no cause). */
export function failureFields(cause: FailureView | null): Field[] {
  if (cause === null) return [];
  return [
    ["failed step", cause.step],
    ["exit code", cause.exitCode === null ? "(none)" : String(cause.exitCode), String(cause.exitCode ?? "")],
    ["message", cause.message],
    ["last lines", cause.lastLines.join(" | "), cause.lastLines.join(" | ")],
  ];
}

/** `jobs info`: every field of a job. */
export function jobFields(j: JobView): Field[] {
  return [
    ["id", String(j.id)],
    ["target", String(j.targetId)],
    ["arch", j.arch],
    ["state", j.state],
    ["reason", j.reason],
    ["force", j.force ? "yes" : "no", String(j.force)],
    ["agent", j.agent || "(none yet)", j.agent],
    ["attempt", String(j.attempt)],
    ["retry of", j.retryOfJobId === 0 ? "(first attempt)" : String(j.retryOfJobId), String(j.retryOfJobId)],
    ["created", localTime(j.createTime)],
    ["due", localTime(j.dueTime)],
    ["dispatched", localTime(j.dispatchTime)],
    ["started", localTime(j.startTime)],
    ["ended", localTime(j.endTime)],
    ...failureFields(j.cause),
  ];
}

/**
 * One line for a change seen by `jobs watch` (table mode), stamped with the
 * time of the job's latest step so it says when the change happened.
 */
export function jobChangeLine(j: JobView): string {
  const at = j.endTime ?? j.startTime ?? j.dispatchTime ?? j.createTime;
  const why = j.cause ? `: ${j.cause.step}: ${j.cause.message}` : "";
  const agent = j.agent ? ` on ${j.agent}` : "";
  return `${localTime(at)}  job ${j.id} (target ${j.targetId}, ${j.arch}) ${j.state}${agent}${why}`;
}
