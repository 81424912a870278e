/** `vieter jobs cancel <id>`: cancels a queued job, or asks its agent to stop it. */
import type { Command } from "commander";
import { JobService, JobState } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { jobView } from "../../output/jobs.js";
import { examples } from "../help.js";

/** Registers `jobs cancel`. */
export function registerJobsCancel(jobs: Command, ctx: CliContext): void {
  jobs
    .command("cancel")
    .description(
      "Cancel a job: a queued one at once; a dispatched or running one is stopped by its agent " +
        "(watch it end with `vieter jobs watch --job <id>`). Prints the job's state (with -r only the state).",
    )
    .argument("<id>", "the job's id", id)
    .addHelpText("after", examples("vieter jobs cancel 12"))
    .action(
      ctx.action(async (jobId: bigint) => {
        const output = ctx.output();
        const res = await ctx.connection().client(JobService).cancelJob({ id: jobId });
        const view = jobView(res.job!);
        const sentence =
          res.job!.state === JobState.CANCELLED
            ? `Job ${view.id} cancelled.`
            : `Job ${view.id} is ${view.state}; its agent ${view.agent} was asked to stop it.`;
        output.done(sentence, view.state, view);
      }),
    );
}
