/** `vieter repos package <repo> <arch> <name>`: every field of one package, like `pacman -Si`. */
import type { Command } from "commander";
import { RepoService } from "../../../gen/vieter/v1/repo_service_pb.js";
import type { CliContext } from "../../context.js";
import { packageFields, packageView } from "../../output/packages.js";
import { examples } from "../help.js";

/** Registers `repos package`. */
export function registerReposPackage(repos: Command, ctx: CliContext): void {
  repos
    .command("package")
    .description("Show every field of a package in an arch-repo; --files adds its file list.")
    .argument("<repo>", "the repository's name")
    .argument("<arch>", "the arch-repo (for an 'any' package, the arch-repo it is served from)")
    .argument("<name>", "the package name (pkgname)")
    .option("--files", "also list every path in the package")
    .addHelpText(
      "after",
      examples("vieter repos package extra x86_64 paru", "vieter repos package extra x86_64 paru --files -r"),
    )
    .action(
      ctx.action(async (repo: string, arch: string, name: string, opts: { files?: boolean }) => {
        const output = ctx.output();
        const res = await ctx.connection().client(RepoService).getPackage({ repo, arch, name });
        const view = packageView(res.package!, opts.files === true);
        output.record(packageFields(view), view);
        if (!view.files) return;
        // Raw mode keeps the record's `label<TAB>value` shape; tables indent the list under a heading.
        output.text(
          output.mode === "raw"
            ? view.files.map((f) => `file\t${f}\n`).join("")
            : `Files:\n${view.files.map((f) => `  ${f}\n`).join("")}`,
        );
      }),
    );
}
