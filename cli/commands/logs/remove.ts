/** `vieter logs remove <id>`: deletes a log's metadata and content. */
import type { Command } from "commander";
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";

/** Registers `logs remove`. */
export function registerLogsRemove(logs: Command, ctx: CliContext): void {
  logs
    .command("remove")
    .description("Remove a log, metadata and content; the log of a running build cannot be removed.")
    .argument("<id>", "the log's id", id)
    .addHelpText("after", examples("vieter logs remove 7"))
    .action(
      ctx.action(async (logId: bigint) => {
        const output = ctx.output();
        await ctx.connection().client(LogService).deleteLog({ id: logId });
        output.done(`Log ${logId} removed.`, undefined, { id: Number(logId), removed: true });
      }),
    );
}
