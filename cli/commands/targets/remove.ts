/** `vieter targets remove <id>`: deletes a target (its build history stays). */
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";

/** Registers `targets remove`. */
export function registerTargetsRemove(targets: Command, ctx: CliContext): void {
  targets
    .command("remove")
    .description("Remove a target and cancel its queued jobs; its build history and published packages stay.")
    .argument("<id>", "the target's id", id)
    .addHelpText("after", examples("vieter targets remove 3"))
    .action(
      ctx.action(async (targetId: bigint) => {
        const output = ctx.output();
        await ctx.connection().client(TargetService).deleteTarget({ id: targetId });
        output.done(`Target ${targetId} removed.`, undefined, { id: Number(targetId), removed: true });
      }),
    );
}
