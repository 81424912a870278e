/** How build logs (their metadata) look in each output mode. */
import { JobState } from "../../gen/vieter/v1/job_service_pb.js";
import type { BuildLog } from "../../gen/vieter/v1/log_service_pb.js";
import { dateOf, enumWord, humanSize, localTime } from "./format.js";
import { type FailureView, failureFields, failureView } from "./jobs.js";
import type { Column, Field } from "./table.js";

/** A log in `--json`. */
export interface LogView {
  id: number;
  jobId: number;
  targetId: number;
  arch: string;
  agent: string;
  /** The job's final state; `running` while the build runs. */
  result: string;
  exitCode: number | null;
  cause: FailureView | null;
  /** Bytes of content. */
  size: number;
  startTime: Date | null;
  endTime: Date | null;
}

/** The view of a log message. */
export function logView(l: BuildLog): LogView {
  return {
    id: Number(l.id),
    jobId: Number(l.jobId),
    targetId: Number(l.targetId),
    arch: l.arch,
    agent: l.agent,
    result: enumWord(JobState, l.result),
    exitCode: l.exitCode ?? null,
    cause: failureView(l.cause),
    size: Number(l.size),
    startTime: dateOf(l.startTime),
    endTime: dateOf(l.endTime),
  };
}

const exitCode = (l: LogView): string => (l.exitCode === null ? "" : String(l.exitCode));

/** Vieter's columns (id, target, start time, exit code) first, then ours. */
export const LOG_COLUMNS: readonly Column<LogView>[] = [
  { header: "id", cell: (l) => String(l.id), align: "right" },
  { header: "target", cell: (l) => String(l.targetId), align: "right" },
  { header: "started", cell: (l) => localTime(l.startTime) },
  { header: "exit", cell: exitCode, align: "right" },
  { header: "job", cell: (l) => String(l.jobId), align: "right" },
  { header: "arch", cell: (l) => l.arch },
  { header: "result", cell: (l) => l.result },
  { header: "size", cell: (l) => humanSize(l.size), raw: (l) => String(l.size), align: "right" },
];

/** `logs info`: every field of a log. */
export function logFields(l: LogView): Field[] {
  return [
    ["id", String(l.id)],
    ["job", String(l.jobId)],
    ["target", String(l.targetId)],
    ["arch", l.arch],
    ["agent", l.agent],
    ["result", l.result],
    ["exit code", l.exitCode === null ? "(none)" : String(l.exitCode), exitCode(l)],
    ["started", localTime(l.startTime)],
    ["ended", l.endTime === null ? "(still running)" : localTime(l.endTime), localTime(l.endTime)],
    ["size", humanSize(l.size), String(l.size)],
    ...failureFields(l.cause).filter(([label]) => label !== "exit code"),
  ];
}
