/** `vieter jobs list`: jobs matching filters, newest first, one page at a time. */
import type { Command } from "commander";
import { type JobState, JobService } from "../../../gen/vieter/v1/job_service_pb.js";
import { JOB_STATE_WORDS, id, jobStateList, limit, offset } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { JOB_LIST_COLUMNS, jobView } from "../../output/jobs.js";
import { notePaging } from "../../output/paging.js";
import { examples } from "../help.js";

interface ListOptions {
  target?: bigint;
  arch?: string;
  state?: JobState[];
  agent?: string;
  limit?: number;
  offset?: number;
}

/** Registers `jobs list`. */
export function registerJobsList(jobs: Command, ctx: CliContext): void {
  jobs
    .command("list")
    .description("List jobs, newest first (columns: id, target, arch, state, reason, force, created, agent, ended).")
    .option("--target <id>", "only jobs of this target", id)
    .option("--arch <arch>", "only jobs for this architecture")
    .option(
      "--state <states>",
      `only jobs in these states, repeatable or comma-separated: ${JOB_STATE_WORDS.join(", ")}`,
      jobStateList,
    )
    .option("--agent <name>", "only jobs held or run by this agent")
    .option("-l, --limit <n>", "at most n jobs (0: the server's default, 25)", limit)
    .option("-o, --offset <n>", "skip the first n matching jobs", offset)
    .addHelpText(
      "after",
      examples("vieter jobs list --target 3 --state failed,timed_out", "vieter jobs list --state queued -l 100 -r"),
    )
    .action(
      ctx.action(async (opts: ListOptions) => {
        const output = ctx.output();
        const res = await ctx
          .connection()
          .client(JobService)
          .listJobs({
            targetId: opts.target ?? 0n,
            arch: opts.arch ?? "",
            states: opts.state ?? [],
            agent: opts.agent ?? "",
            limit: opts.limit ?? 0,
            offset: opts.offset ?? 0,
          });
        const views = res.jobs.map(jobView);
        output.list(views, JOB_LIST_COLUMNS, { jobs: views, totalCount: res.totalCount }, "No jobs.");
        notePaging(output, opts.offset ?? 0, views.length, res.totalCount, "jobs");
      }),
    );
}
