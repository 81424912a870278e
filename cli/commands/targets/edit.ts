/**
 * `vieter targets edit <id>`: changes exactly the fields whose flags were
 * given (an empty value clears a field). A new schedule is checked with the
 * server's PreviewSchedule first, so a typo is reported as a schedule error
 * before anything changes.
 */
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { id } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { CliError, UsageError } from "../../errors.js";
import { targetView } from "../../output/targets.js";
import { examples } from "../help.js";
import { type TargetFlags, fieldsFromFlags, targetFlags } from "./flags.js";

/** Registers `targets edit`. */
export function registerTargetsEdit(targets: Command, ctx: CliContext): void {
  const cmd = targets
    .command("edit")
    .description("Change fields of a target. Only the flags given are changed; an empty value clears a field.")
    .argument("<id>", "the target's id", id);
  targetFlags(cmd, "edit")
    .addHelpText(
      "after",
      examples(
        "vieter targets edit 3 --schedule '0 */6'",
        "vieter targets edit 3 --arch x86_64 --arch aarch64 --branch ''",
        "vieter targets edit 3 --url https://example.com/new.git --repo testing",
      ),
    )
    .action(
      ctx.action(async (targetId: bigint, flags: TargetFlags) => {
        const output = ctx.output();
        const { fields, mask } = fieldsFromFlags(flags);
        if (mask.length === 0) {
          throw new UsageError("nothing to change: give at least one field flag (see vieter targets edit --help)");
        }
        const client = ctx.connection().client(TargetService);
        if (flags.schedule) await checkSchedule(client, flags.schedule);
        const res = await client.updateTarget({ target: { ...fields, id: targetId }, updateMask: { paths: mask } });
        const view = targetView(res.target!);
        output.done(`Target ${view.id} updated (${mask.join(", ")}).`, undefined, view);
      }),
    );
}

async function checkSchedule(client: Client<typeof TargetService>, schedule: string): Promise<void> {
  try {
    await client.previewSchedule({ expression: schedule, count: 1 });
  } catch (err) {
    if (err instanceof ConnectError && err.code === Code.InvalidArgument) {
      throw new CliError(`invalid schedule ${JSON.stringify(schedule)}: ${err.rawMessage}; the target was not changed`);
    }
    throw err;
  }
}
