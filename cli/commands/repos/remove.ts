/**
 * `vieter repos remove <repo> [arch [pkg]]`: removes a package, an arch-repo
 * or a whole repository. The last two need --force, as in Vieter.
 */
import type { Command } from "commander";
import { RepoService } from "../../../gen/vieter/v1/repo_service_pb.js";
import type { CliContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { examples } from "../help.js";

/** Vieter's refusal, word for word. */
export const DESTRUCTIVE_REFUSAL =
  "Removing an arch-repo or repository is a very destructive command. If you really do wish to perform this " +
  "operation, explicitly add the --force flag.";

/** Registers `repos remove`. */
export function registerReposRemove(repos: Command, ctx: CliContext): void {
  repos
    .command("remove")
    .description(
      "Remove a package (repo arch pkg), an arch-repo (repo arch) or a repository (repo). " +
        "Removing an arch-repo or a repository needs --force.",
    )
    .argument("<repo>", "the repository's name")
    .argument("[arch]", "the arch-repo")
    .argument("[pkg]", "the package name (pkgname)")
    .option("--force", "really remove a whole arch-repo or repository")
    .addHelpText(
      "after",
      examples("vieter repos remove extra x86_64 paru", "vieter repos remove testing aarch64 --force"),
    )
    .action(
      ctx.action(async (repo: string, arch: string | undefined, pkg: string | undefined, opts: { force?: boolean }) => {
        const output = ctx.output();
        if (pkg === undefined && !opts.force) throw new CliError(DESTRUCTIVE_REFUSAL);
        const client = ctx.connection().client(RepoService);
        const removed = { repo, arch: arch ?? null, package: pkg ?? null, removed: true };
        if (arch === undefined) {
          await client.deleteRepo({ repo });
          output.done(`Removed repository ${repo}.`, undefined, removed);
        } else if (pkg === undefined) {
          await client.deleteArchRepo({ repo, arch });
          output.done(`Removed arch-repo ${repo}/${arch}.`, undefined, removed);
        } else {
          await client.deletePackage({ repo, arch, name: pkg });
          output.done(`Removed ${pkg} from ${repo}/${arch}.`, undefined, removed);
        }
      }),
    );
}
