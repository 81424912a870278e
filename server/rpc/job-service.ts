/** JobService: translates messages to the jobs domain and back. */
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { JobService } from "../../gen/vieter/v1/job_service_pb.js";
import type { AppContext } from "../context.js";
import { type JobsEnv, cancelJob, enqueueManualJobs, getJob, listJobs, retryJob } from "../jobs/index.js";
import { callEm } from "./context-values.js";
import { toJobMessage, toStates } from "./job-messages.js";

/** The JobService implementation. */
export function createJobService(ctx: AppContext): ServiceImpl<typeof JobService> {
  const env = (call: HandlerContext): JobsEnv => ({ em: callEm(call), clock: ctx.clock, events: ctx.jobEvents });
  return {
    async buildTarget(req, call) {
      const jobs = await enqueueManualJobs(env(call), Number(req.targetId), req.arch.trim() || undefined, req.force);
      return { jobs: jobs.map(toJobMessage) };
    },
    async getJob(req, call) {
      return { job: toJobMessage(await getJob(callEm(call), Number(req.id))) };
    },
    async listJobs(req, call) {
      const { jobs, total } = await listJobs(callEm(call), {
        targetId: Number(req.targetId),
        arch: req.arch,
        states: toStates(req.states),
        agent: req.agent,
        limit: req.limit,
        offset: req.offset,
      });
      return { jobs: jobs.map(toJobMessage), totalCount: total };
    },
    async cancelJob(req, call) {
      return { job: toJobMessage(await cancelJob(env(call), Number(req.id))) };
    },
    async retryJob(req, call) {
      return { job: toJobMessage(await retryJob(env(call), Number(req.id))) };
    },
    // With job_id set, the job's current state comes first (NotFound if it
    // does not exist), so a client following one job cannot miss its end.
    async *watchJobs(req, call) {
      const jobId = Number(req.jobId) || undefined;
      const filter = { targetId: Number(req.targetId) || undefined, jobId };
      const changes = ctx.jobEvents.subscribe(filter, { signal: call.signal });
      try {
        if (jobId !== undefined) yield { job: toJobMessage(await getJob(callEm(call), jobId)) };
        for await (const job of changes) yield { job: toJobMessage(job) };
      } finally {
        await changes.return?.();
      }
    },
  };
}
