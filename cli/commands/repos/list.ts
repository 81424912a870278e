/** `vieter repos list`: every repository with its arch-repos. */
import type { Command } from "commander";
import { RepoService } from "../../../gen/vieter/v1/repo_service_pb.js";
import type { CliContext } from "../../context.js";
import { REPO_COLUMNS, repoView } from "../../output/repos.js";
import { examples } from "../help.js";

/** Registers `repos list`. */
export function registerReposList(repos: Command, ctx: CliContext): void {
  repos
    .command("list")
    .description("List the repositories and the architectures each has an arch-repo for.")
    .addHelpText("after", examples("vieter repos list", "vieter repos list -r | cut -f1"))
    .action(
      ctx.action(async () => {
        const output = ctx.output();
        const res = await ctx.connection().client(RepoService).listRepos({});
        const views = res.repos.map(repoView);
        output.list(views, REPO_COLUMNS, { repos: views }, "No repositories.");
      }),
    );
}
