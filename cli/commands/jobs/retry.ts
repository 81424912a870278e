/** `vieter jobs retry <id>`: queues a new attempt of an ended job. */
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { jobView } from "../../output/jobs.js";
import { examples } from "../help.js";

/** Registers `jobs retry`. */
export function registerJobsRetry(jobs: Command, ctx: CliContext): void {
  jobs
    .command("retry")
    .description(
      "Queue a new job for the same target and arch as an ended job, linked to it. " +
        "Prints the new job's id (with -r only the id).",
    )
    .argument("<id>", "the ended job's id", id)
    .addHelpText("after", examples("vieter jobs retry 12", "new=$(vieter jobs retry 12 -r)"))
    .action(
      ctx.action(async (jobId: bigint) => {
        const output = ctx.output();
        const res = await ctx.connection().client(JobService).retryJob({ id: jobId });
        const view = jobView(res.job!);
        output.done(`Job ${view.id} queued (attempt ${view.attempt}, retrying job ${jobId}).`, String(view.id), view);
      }),
    );
}
