/** `vieter logs info <id>`: every field of one log's metadata. */
import type { Command } from "commander";
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { logFields, logView } from "../../output/logs.js";
import { examples } from "../help.js";

/** Registers `logs info`. */
export function registerLogsInfo(logs: Command, ctx: CliContext): void {
  logs
    .command("info")
    .description("Show a log's metadata: job, target, agent, result, exit code, times, size, and why it failed.")
    .argument("<id>", "the log's id (see `vieter logs list`)", id)
    .addHelpText("after", examples("vieter logs info 7", "vieter logs info 7 --json"))
    .action(
      ctx.action(async (logId: bigint) => {
        const output = ctx.output();
        const res = await ctx.connection().client(LogService).getLog({ id: logId });
        const view = logView(res.log!);
        output.record(logFields(view), view);
      }),
    );
}
