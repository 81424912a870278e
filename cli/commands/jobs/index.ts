/** `vieter jobs …`: the build queue, from queued to ended (JobService). */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerJobsCancel } from "./cancel.js";
import { registerJobsInfo } from "./info.js";
import { registerJobsList } from "./list.js";
import { registerJobsRetry } from "./retry.js";
import { registerJobsWatch } from "./watch.js";

/** Registers the `jobs` group. */
export function registerJobs(program: Command, ctx: CliContext): void {
  const jobs = program
    .command("jobs")
    .description("Inspect and steer build jobs: one build of one target for one arch.")
    .addHelpText("after", examples("vieter jobs list --state running", "vieter jobs watch --job 12"));
  registerJobsList(jobs, ctx);
  registerJobsInfo(jobs, ctx);
  registerJobsCancel(jobs, ctx);
  registerJobsRetry(jobs, ctx);
  registerJobsWatch(jobs, ctx);
}
