/** `vieter repos packages <repo>`: the packages of a repository, one page at a time. */
import type { Command } from "commander";
import { RepoService } from "../../../gen/vieter/v1/repo_service_pb.js";
import { limit, offset } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { PACKAGE_COLUMNS, packageView } from "../../output/packages.js";
import { notePaging } from "../../output/paging.js";
import { examples } from "../help.js";

interface PackagesOptions {
  arch?: string;
  query?: string;
  limit?: number;
  offset?: number;
}

/** Registers `repos packages`. */
export function registerReposPackages(repos: Command, ctx: CliContext): void {
  repos
    .command("packages")
    .description("List the packages of a repository, by name then arch-repo.")
    .argument("<repo>", "the repository's name")
    .option("--arch <arch>", "only this arch-repo")
    .option("-q, --query <text>", "only packages whose name contains the text")
    .option("-l, --limit <n>", "at most n packages (0: the server's default, 25)", limit)
    .option("-o, --offset <n>", "skip the first n matching packages", offset)
    .addHelpText(
      "after",
      examples("vieter repos packages extra --arch x86_64", "vieter repos packages extra -q python -l 0"),
    )
    .action(
      ctx.action(async (repo: string, opts: PackagesOptions) => {
        const output = ctx.output();
        const res = await ctx
          .connection()
          .client(RepoService)
          .listPackages({
            repo,
            arch: opts.arch ?? "",
            query: opts.query ?? "",
            limit: opts.limit ?? 0,
            offset: opts.offset ?? 0,
          });
        const views = res.packages.map((p) => packageView(p, false));
        output.list(views, PACKAGE_COLUMNS, { packages: views, totalCount: res.totalCount }, "No packages.");
        notePaging(output, opts.offset ?? 0, views.length, res.totalCount, "packages");
      }),
    );
}
