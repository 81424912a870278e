/** Every domain job state and failure step has its enum value in log messages (the mapping is by name). */
import { describe, expect, it } from "vitest";
import { FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { type FailureStep as Step, JOB_STATES } from "../jobs/index.js";
import { toLogMessage, toResults } from "./log-messages.js";

const STEPS: Step[] = [
  "image",
  "fetch",
  "prepare",
  "version_check",
  "build",
  "publish",
  "timeout",
  "agent_lost",
  "infrastructure",
];

const log = {
  id: 1,
  jobId: 2,
  targetId: 3,
  arch: "x86_64",
  agent: "a",
  startedAt: new Date(0),
  size: 0,
  synthetic: false,
};

describe("log messages", () => {
  it("maps every job state both ways", () => {
    for (const state of JOB_STATES) {
      const value = toLogMessage({ ...log, result: state }).result;
      expect(value).not.toBe(JobState.UNSPECIFIED);
      expect(value).toBeDefined();
      expect(toResults([value])).toEqual([state]);
    }
    expect(() => toResults([JobState.UNSPECIFIED])).toThrow(/results/);
    expect(() => toResults([99 as JobState])).toThrow(/results/);
  });

  it("maps every failure step", () => {
    for (const step of STEPS) {
      const cause = toLogMessage({ ...log, result: "failed", cause: { step, message: "m", lastLines: [] } }).cause!;
      expect(cause.step).not.toBe(FailureStep.UNSPECIFIED);
      expect(FailureStep[cause.step].toLowerCase()).toBe(step);
    }
  });
});
