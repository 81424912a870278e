/**
 * Taking an agent's final report on a job. Agents keep a final report until
 * the server acknowledges it and send it again after a reconnect (see
 * lib/agent-protocol.ts), so the same report may arrive twice: a report on a
 * job that already ended, held by the same agent, is answered, not refused.
 */
import {
  type FailureCause,
  IllegalJobTransitionError,
  type Job,
  type JobOutcome,
  type JobState,
  type JobsEnv,
  canTransition,
  finishJob,
  getJob,
  isFinal,
  startJob,
} from "../jobs/index.js";

/** What the agent is told about its report. */
export interface ReportAnswer {
  /** The job's state after the report. */
  readonly state: JobState;
  /** Empty when the report was taken, now or before; otherwise why not. */
  readonly refusal: string;
  /** The job as this report ended it; undefined when it had ended before. */
  readonly ended?: Job;
}

/**
 * Records `outcome` for a job `agent` holds. Throws the domain error of a
 * report the server will never take (another agent's job, no such job).
 */
export async function takeFinalReport(
  env: JobsEnv,
  agent: string,
  jobId: number,
  outcome: JobOutcome,
  cause: FailureCause | undefined,
): Promise<ReportAnswer> {
  try {
    const ended = await finishJob(env, jobId, agent, outcome, cause);
    return { state: ended.state, refusal: "", ended };
  } catch (err) {
    if (!(err instanceof IllegalJobTransitionError)) throw err;
    const job = await getJob(env.em, jobId);
    if (job.agent !== agent) throw err;
    if (isFinal(job.state)) {
      const refusal = job.state === outcome ? "" : `job ${jobId} had already ended as ${job.state}`;
      return { state: job.state, refusal };
    }
    // Its RUNNING update was lost with a dropped stream (it is not re-sent): the build did start.
    if (job.state === "dispatched" && !canTransition("dispatched", outcome) && canTransition("running", outcome)) {
      await startJob(env, jobId, agent);
      const ended = await finishJob(env, jobId, agent, outcome, cause);
      return { state: ended.state, refusal: "", ended };
    }
    throw err;
  }
}
