/**
 * `vieter logs follow <log-id | --job id>`: prints a build log from its start
 * and then as the build writes it, until the job ends.
 */
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { EXIT, UsageError } from "../../errors.js";
import { GOOD_STATES } from "../../output/jobs.js";
import { examples } from "../help.js";
import { followLog } from "./stream.js";

/** Registers `logs follow`. */
export function registerLogsFollow(logs: Command, ctx: CliContext): void {
  logs
    .command("follow")
    .description(
      "Print a build log from its start, then live as the build writes it; ends when the job ends. " +
        "With --job, waits for the build to start. The text goes to stdout as is in every output mode; " +
        "the exit status is 1 unless the job succeeded or was skipped.",
    )
    .argument("[log-id]", "the log's id (see `vieter logs list`); or give --job")
    .option("--job <id>", "follow the log of this job instead", id)
    .addHelpText("after", examples("vieter logs follow --job 12", "vieter logs follow 7 | tee build.log"))
    .action(
      ctx.action(async (logId: string | undefined, opts: { job?: bigint }) => {
        if ((logId === undefined) === (opts.job === undefined))
          throw new UsageError("give a log id or --job, not both");
        const by = logId !== undefined ? { id: parseId(logId) } : { jobId: opts.job! };
        await followLog(ctx, by, ctx.io.stdout);
        const state =
          by.id !== undefined
            ? (await ctx.connection().client(LogService).getLog({ id: by.id })).log!.result
            : (await ctx.connection().client(JobService).getJob({ id: by.jobId! })).job!.state;
        if (!GOOD_STATES.has(state)) ctx.setExit(EXIT.failed);
      }),
    );
}

/** The optional argument is parsed here so a bad id is still a usage error naming it. */
function parseId(value: string): bigint {
  try {
    return id(value);
  } catch (err) {
    throw new UsageError(`log id ${JSON.stringify(value)} ${(err as Error).message}`);
  }
}
