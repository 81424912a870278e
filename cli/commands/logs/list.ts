/** `vieter logs list`: build logs matching Vieter's filters, newest first. */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Command } from "commander";
import type { JobState } from "../../../gen/vieter/v1/job_service_pb.js";
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import { JOB_STATE_WORDS, id, jobStateList, limit, offset } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { LOG_COLUMNS, logView } from "../../output/logs.js";
import { notePaging } from "../../output/paging.js";
import { examples } from "../help.js";
import {
  type ExitCodes,
  FAILED_RESULTS,
  type TimeFlags,
  exitCode,
  localDateTime,
  localDay,
  timeRange,
} from "./filters.js";

interface ListOptions extends TimeFlags {
  target?: bigint;
  arch?: string;
  failed?: boolean;
  code?: ExitCodes;
  result?: JobState[];
  limit?: number;
  offset?: number;
}

/** Registers `logs list`. */
export function registerLogsList(logs: Command, ctx: CliContext): void {
  logs
    .command("list")
    .description(
      "List build logs, newest first (columns: id, target, started, exit, job, arch, result, size). " +
        "Times are local; --before and --after are strict.",
    )
    .option("--target <id>", "only logs of this target", id)
    .option("--arch <arch>", "only logs of builds for this architecture")
    .option("--today", "only logs started today")
    .option("--day <date>", "only logs started on this day (YYYY-MM-DD)", localDay)
    .option("--before <time>", "only logs started before this time (YYYY-MM-DD[ HH:mm[:ss]])", localDateTime)
    .option("--after <time>", "only logs started after this time (YYYY-MM-DD[ HH:mm[:ss]])", localDateTime)
    .option("--failed", "only builds that failed, timed out or were lost")
    .option(
      "--code <code>",
      "only logs with this exit code; '!code' excludes it. Repeatable: includes are OR-ed, excludes AND-ed " +
        "(a log without an exit code passes an exclude)",
      exitCode,
    )
    .option(
      "--result <states>",
      `only logs whose job ended so (or running): ${JOB_STATE_WORDS.join(", ")}`,
      jobStateList,
    )
    .option("-l, --limit <n>", "at most n logs (0: the server's default, 25)", limit)
    .option("-o, --offset <n>", "skip the first n matching logs", offset)
    .addHelpText(
      "after",
      examples(
        "vieter logs list --target 3 --today --failed",
        "vieter logs list --code '!0' --code '!1' --after '2026-11-01 08:00'",
        "vieter logs list --day 2026-11-24 --result succeeded -r",
      ),
    )
    .action(
      ctx.action(async (opts: ListOptions) => {
        const output = ctx.output();
        const { before, after } = timeRange(opts, new Date());
        const res = await ctx
          .connection()
          .client(LogService)
          .listLogs({
            targetId: opts.target ?? 0n,
            arch: opts.arch ?? "",
            ...(before && { before: timestampFromDate(before) }),
            ...(after && { after: timestampFromDate(after) }),
            includeExitCodes: opts.code?.include ?? [],
            excludeExitCodes: opts.code?.exclude ?? [],
            results: [...(opts.result ?? []), ...(opts.failed ? FAILED_RESULTS : [])],
            limit: opts.limit ?? 0,
            offset: opts.offset ?? 0,
          });
        const views = res.logs.map(logView);
        output.list(views, LOG_COLUMNS, { logs: views, totalCount: res.totalCount }, "No logs.");
        notePaging(output, opts.offset ?? 0, views.length, res.totalCount, "logs");
      }),
    );
}
