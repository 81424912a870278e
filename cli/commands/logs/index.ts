/** `vieter logs …`: build logs, one per job that ran or tried to (LogService). */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerLogsContent } from "./content.js";
import { registerLogsFollow } from "./follow.js";
import { registerLogsInfo } from "./info.js";
import { registerLogsList } from "./list.js";
import { registerLogsRemove } from "./remove.js";

/** Registers the `logs` group. */
export function registerLogs(program: Command, ctx: CliContext): void {
  const logs = program
    .command("logs")
    .description("Read build logs: list them with Vieter's filters, print or follow their text, remove them.")
    .addHelpText("after", examples("vieter logs list --today --failed", "vieter logs follow --job 12"));
  registerLogsList(logs, ctx);
  registerLogsInfo(logs, ctx);
  registerLogsContent(logs, ctx);
  registerLogsRemove(logs, ctx);
  registerLogsFollow(logs, ctx);
}
