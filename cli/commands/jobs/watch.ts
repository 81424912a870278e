/**
 * `vieter jobs watch [--job id | --target id]`: prints job changes as they
 * happen (WatchJobs). Watching one job starts with its current state and ends
 * when it ends, with a non-zero status unless it succeeded or was skipped.
 */
import type { Command } from "commander";
import { JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { EXIT, UsageError } from "../../errors.js";
import { renderRawRows } from "../../output/table.js";
import { FINAL_STATES, GOOD_STATES, JOB_LIST_COLUMNS, jobChangeLine, jobView } from "../../output/jobs.js";
import { examples } from "../help.js";

interface WatchOptions {
  job?: bigint;
  target?: bigint;
}

/** Registers `jobs watch`. */
export function registerJobsWatch(jobs: Command, ctx: CliContext): void {
  jobs
    .command("watch")
    .description(
      "Print job changes as they happen: a line per change (with -r the columns of `jobs list`, with --json one " +
        "JSON object per line). With --job, starts with the job's current state and ends when the job ends; " +
        "the exit status is 1 unless it succeeded or was skipped. Otherwise runs until interrupted.",
    )
    .option("--job <id>", "only this job, until it ends", id)
    .option("--target <id>", "only jobs of this target", id)
    .addHelpText("after", examples("vieter jobs watch --job 12", "vieter jobs watch --target 3 --json"))
    .action(
      ctx.action(async (opts: WatchOptions) => {
        const output = ctx.output();
        if (opts.job !== undefined && opts.target !== undefined) {
          throw new UsageError("choose one of --job and --target");
        }
        // Leaving the loop alone does not close the HTTP request; aborting does.
        const stop = new AbortController();
        const stream = ctx
          .connection()
          .client(JobService)
          .watchJobs({ jobId: opts.job ?? 0n, targetId: opts.target ?? 0n }, { signal: stop.signal });
        try {
          for await (const { job } of stream) {
            const view = jobView(job!);
            output.event(jobChangeLine(view), renderRawRows([view], JOB_LIST_COLUMNS).trimEnd(), view);
            if (opts.job !== undefined && FINAL_STATES.has(job!.state)) {
              if (!GOOD_STATES.has(job!.state)) ctx.setExit(EXIT.failed);
              return;
            }
          }
        } finally {
          stop.abort();
        }
      }),
    );
}
