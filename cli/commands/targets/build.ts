/**
 * `vieter targets build <id>`: queues a manual build on the server, for one
 * arch or all of the target's arches. Unlike Vieter 0.6 there is no local
 * build: agents build, and the jobs show up in the queue at once.
 */
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { JOB_COLUMNS, jobView } from "../../output/jobs.js";
import { examples } from "../help.js";

interface BuildOptions {
  arch?: string;
  force?: boolean;
}

/** Registers `targets build`. */
export function registerTargetsBuild(targets: Command, ctx: CliContext): void {
  // @TODO(#7): --follow, once `jobs watch` and `logs follow` exist, streams the build until it ends.
  targets
    .command("build")
    .description("Queue a build of a target now; prints the queued jobs (with -r: id, target, arch, ...).")
    .argument("<id>", "the target's id", id)
    .option("--arch <arch>", "build only for this architecture (default: every arch of the target)")
    .option("--force", "build even when this version is already published")
    .addHelpText("after", examples("vieter targets build 3", "vieter targets build 3 --arch aarch64 --force"))
    .action(
      ctx.action(async (targetId: bigint, opts: BuildOptions) => {
        const output = ctx.output();
        const res = await ctx
          .connection()
          .client(JobService)
          .buildTarget({ targetId, arch: opts.arch ?? "", force: opts.force ?? false });
        const jobs = res.jobs.map(jobView);
        output.list(jobs, JOB_COLUMNS, { jobs }, "No job was queued.");
      }),
    );
}
