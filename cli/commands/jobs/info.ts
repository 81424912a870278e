/** `vieter jobs info <id>`: every field of one job, with why it failed. */
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { jobFields, jobView } from "../../output/jobs.js";
import { examples } from "../help.js";

/** Registers `jobs info`. */
export function registerJobsInfo(jobs: Command, ctx: CliContext): void {
  jobs
    .command("info")
    .description("Show every field of a job: state, agent, times and, when it failed, the step and last log lines.")
    .argument("<id>", "the job's id (see `vieter jobs list`)", id)
    .addHelpText("after", examples("vieter jobs info 12", "vieter jobs info 12 --json"))
    .action(
      ctx.action(async (jobId: bigint) => {
        const output = ctx.output();
        const res = await ctx.connection().client(JobService).getJob({ id: jobId });
        const view = jobView(res.job!);
        output.record(jobFields(view), view);
      }),
    );
}
