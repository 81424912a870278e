/** `vieter targets add <url> <repo>`: registers a new target. */
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import type { CliContext } from "../../context.js";
import { targetView } from "../../output/targets.js";
import { examples } from "../help.js";
import { type TargetFlags, fieldsFromFlags, targetFlags } from "./flags.js";

/** Registers `targets add`. */
export function registerTargetsAdd(targets: Command, ctx: CliContext): void {
  const cmd = targets
    .command("add")
    .description(
      "Add a target: where a PKGBUILD comes from and which repository its packages go to. " +
        "Prints the new id (with -r only the id).",
    )
    .argument("<url>", "git clone URL, or the URL of a PKGBUILD with --kind url")
    .argument("<repo>", "repository the built packages are published to");
  targetFlags(cmd, "add")
    .addHelpText(
      "after",
      examples(
        "vieter targets add https://aur.archlinux.org/paru.git extra",
        "vieter targets add https://example.com/foo/PKGBUILD extra --kind url --arch x86_64,aarch64 --schedule '0 4'",
        "id=$(vieter targets add https://github.com/me/pkgs.git main --path foo -r)",
      ),
    )
    .action(
      ctx.action(async (url: string, repo: string, flags: TargetFlags) => {
        const output = ctx.output();
        const { fields } = fieldsFromFlags({ ...flags, url, repo });
        const res = await ctx.connection().client(TargetService).createTarget({ target: fields });
        const view = targetView(res.target!);
        output.done(`Target added with id ${view.id}`, String(view.id), view);
      }),
    );
}
