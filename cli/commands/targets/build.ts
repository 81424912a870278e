/**
 * `vieter targets build <id>`: queues a manual build on the server, for one
 * arch or all of the target's arches. Unlike Vieter 0.6 there is no local
 * build: agents build, and the jobs show up in the queue at once. With
 * --follow the builds' logs are printed to their end, one job after the other.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { EXIT } from "../../errors.js";
import { GOOD_STATES, JOB_COLUMNS, type JobView, jobChangeLine, jobView } from "../../output/jobs.js";
import { followLog } from "../logs/stream.js";
import { examples } from "../help.js";

interface BuildOptions {
  arch?: string;
  force?: boolean;
  follow?: boolean;
}

/** Registers `targets build`. */
export function registerTargetsBuild(targets: Command, ctx: CliContext): void {
  targets
    .command("build")
    .description(
      "Queue a build of a target now; prints the queued jobs (with -r: id, target, arch, ...). " +
        "With --follow, then prints each job's build log as it is written until the job ends " +
        "(to stderr with --json, whose document then holds the ended jobs), and exits with 1 unless every " +
        "build succeeded or was skipped.",
    )
    .argument("<id>", "the target's id", id)
    .option("--arch <arch>", "build only for this architecture (default: every arch of the target)")
    .option("--force", "build even when this version is already published")
    .option("--follow", "print the build logs until the builds end")
    .addHelpText("after", examples("vieter targets build 3", "vieter targets build 3 --arch aarch64 --force --follow"))
    .action(
      ctx.action(async (targetId: bigint, opts: BuildOptions) => {
        const output = ctx.output();
        const client = ctx.connection().client(JobService);
        const res = await client.buildTarget({ targetId, arch: opts.arch ?? "", force: opts.force ?? false });
        const jobs = res.jobs.map(jobView);
        if (!opts.follow) {
          output.list(jobs, JOB_COLUMNS, { jobs }, "No job was queued.");
          return;
        }
        if (output.mode !== "json") output.list(jobs, JOB_COLUMNS, undefined, "No job was queued.");
        const logTo = output.mode === "json" ? ctx.io.stderr : ctx.io.stdout;
        const ended: JobView[] = [];
        for (const job of jobs) {
          await followJob(ctx, BigInt(job.id), logTo);
          const { job: after } = await client.getJob({ id: BigInt(job.id) });
          ended.push(jobView(after!));
          output.note(jobChangeLine(ended.at(-1)!));
          if (!GOOD_STATES.has(after!.state)) ctx.setExit(EXIT.failed);
        }
        output.document({ jobs: ended });
      }),
    );
}

/** Follows one job's log; a job that ended before an agent took it has none, which is not an error here. */
async function followJob(ctx: CliContext, jobId: bigint, to: { write(text: string): unknown }): Promise<void> {
  try {
    await followLog(ctx, { jobId }, to);
  } catch (err) {
    if (!(err instanceof ConnectError && err.code === Code.NotFound)) throw err;
  }
}
