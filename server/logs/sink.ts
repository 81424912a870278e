/**
 * The log store as the agent hub sees it (its `BuildLogSink`): a job's log
 * is opened on its first output and closed with the job's outcome when the
 * agent reports the end. A job that ends without any output (builder image
 * failed, timed out silently, agent lost) gets a synthetic log instead.
 */
import type { Job } from "../jobs/index.js";
import type { Logs } from "./logs.js";

/** What the agent hub calls; structurally its `BuildLogSink`. */
export interface JobLogSink {
  append(job: Job, data: Uint8Array): Promise<void>;
  close(job: Job): Promise<void>;
}

/** A sink writing into `logs`. */
export function jobLogSink(logs: Logs): JobLogSink {
  return {
    async append(job, data) {
      if (!logs.isOpen(job.id)) {
        const startedAt = job.startedAt ?? job.dispatchedAt;
        await logs.openLog(job.id, { targetId: job.targetId, arch: job.arch, agent: job.agent, startedAt });
      }
      await logs.appendLog(job.id, data);
    },
    async close(job) {
      if (logs.isOpen(job.id)) {
        await logs.closeLog(job.id, { result: job.state, exitCode: job.cause?.exitCode, cause: job.cause });
      } else {
        await logs.finalizeJobLog(job);
      }
    },
  };
}
