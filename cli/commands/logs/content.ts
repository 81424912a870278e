/** `vieter logs content <id>`: prints a log's text as stored (streamed). */
import type { Command } from "commander";
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { copyLog } from "./stream.js";

/** Registers `logs content`. */
export function registerLogsContent(logs: Command, ctx: CliContext): void {
  logs
    .command("content")
    .description(
      "Print a log's text as stored so far (for a running build, use `vieter logs follow`). " +
        "The text goes to stdout as is in every output mode.",
    )
    .argument("<id>", "the log's id (see `vieter logs list`)", id)
    .addHelpText("after", examples("vieter logs content 7", "vieter logs content 7 | less"))
    .action(
      ctx.action(async (logId: bigint) => {
        await copyLog(ctx.connection().client(LogService).getLogContent({ id: logId }), ctx.io.stdout);
      }),
    );
}
