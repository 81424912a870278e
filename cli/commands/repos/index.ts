/** `vieter repos …`: the RepoService commands, plus `publish` over the plain publish route. */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerReposInfo } from "./info.js";
import { registerReposList } from "./list.js";
import { registerReposPackage } from "./package.js";
import { registerReposPackages } from "./packages.js";
import { registerReposPublish } from "./publish.js";
import { registerReposRemove } from "./remove.js";

/** Registers the `repos` group. */
export function registerRepos(program: Command, ctx: CliContext): void {
  const repos = program
    .command("repos")
    .description("Inspect and change the pacman repositories the server serves.")
    .addHelpText("after", examples("vieter repos list", "vieter repos publish extra ./foo-1.0-1-x86_64.pkg.tar.zst"));
  registerReposList(repos, ctx);
  registerReposInfo(repos, ctx);
  registerReposPackages(repos, ctx);
  registerReposPackage(repos, ctx);
  registerReposRemove(repos, ctx);
  registerReposPublish(repos, ctx);
}
