/** `vieter repos info <repo>`: the arch-repos of a repository with counts and sizes. */
import type { Command } from "commander";
import { RepoService } from "../../../gen/vieter/v1/repo_service_pb.js";
import type { CliContext } from "../../context.js";
import { ARCH_REPO_COLUMNS, archRepoView } from "../../output/repos.js";
import { examples } from "../help.js";

/** Registers `repos info`. */
export function registerReposInfo(repos: Command, ctx: CliContext): void {
  repos
    .command("info")
    .description("Show a repository's arch-repos: package count, total size and last change (with -r, bytes).")
    .argument("<repo>", "the repository's name")
    .addHelpText("after", examples("vieter repos info extra"))
    .action(
      ctx.action(async (repo: string) => {
        const output = ctx.output();
        const res = await ctx.connection().client(RepoService).listArchRepos({ repo });
        const views = res.archRepos.map(archRepoView);
        output.list(views, ARCH_REPO_COLUMNS, { repo, archRepos: views }, `Repository ${repo} has no arch-repos.`);
      }),
    );
}
