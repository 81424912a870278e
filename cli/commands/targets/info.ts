/** `vieter targets info <id>`: every field of one target. */
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { targetFields, targetView } from "../../output/targets.js";
import { examples } from "../help.js";

/** Registers `targets info`. */
export function registerTargetsInfo(targets: Command, ctx: CliContext): void {
  targets
    .command("info")
    .description("Show every field of a target; empty fields say which server default applies.")
    .argument("<id>", "the target's id (see `vieter targets list`)", id)
    .addHelpText("after", examples("vieter targets info 3", "vieter targets info 3 --json"))
    .action(
      ctx.action(async (targetId: bigint) => {
        const output = ctx.output();
        const res = await ctx.connection().client(TargetService).getTarget({ id: targetId });
        const view = targetView(res.target!);
        output.record(targetFields(view), view);
      }),
    );
}
