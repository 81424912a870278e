/** `vieter targets list`: targets matching filters, one page at a time. */
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { limit, offset } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { notePaging } from "../../output/paging.js";
import { TARGET_COLUMNS, targetView } from "../../output/targets.js";
import { examples } from "../help.js";

interface ListOptions {
  repo?: string;
  arch?: string;
  query?: string;
  limit?: number;
  offset?: number;
}

/** Registers `targets list`. */
export function registerTargetsList(targets: Command, ctx: CliContext): void {
  targets
    .command("list")
    .description("List targets, ordered by id (columns: id, kind, url, repo, arches, schedule).")
    .option("--repo <repo>", "only targets publishing to this repository")
    .option("--arch <arch>", "only targets building for this architecture")
    .option("-q, --query <text>", "only targets whose url, path or branch contains the text")
    .option("-l, --limit <n>", "at most n targets (0: the server's default, 25)", limit)
    .option("-o, --offset <n>", "skip the first n matching targets", offset)
    .addHelpText(
      "after",
      examples("vieter targets list --repo extra --arch aarch64", "vieter targets list -q github.com -l 100 -r"),
    )
    .action(
      ctx.action(async (opts: ListOptions) => {
        const output = ctx.output();
        const res = await ctx
          .connection()
          .client(TargetService)
          .listTargets({
            repo: opts.repo ?? "",
            arch: opts.arch ?? "",
            query: opts.query ?? "",
            limit: opts.limit ?? 0,
            offset: opts.offset ?? 0,
          });
        const views = res.targets.map(targetView);
        output.list(views, TARGET_COLUMNS, { targets: views, totalCount: res.totalCount }, "No targets.");
        notePaging(output, opts.offset ?? 0, views.length, res.totalCount, "targets");
      }),
    );
}
