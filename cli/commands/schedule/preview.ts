/**
 * `vieter schedule <expression…>`: the next times a cron expression fires.
 * The server evaluates it (in its configured time zone, the one builds use);
 * the times are printed in local time.
 */
import type { Command } from "commander";
import { TargetService } from "../../../gen/vieter/v1/target_service_pb.js";
import { integer } from "../../arguments.js";
import type { CliContext } from "../../context.js";
import { dateOf, localTime, localZoneName } from "../../output/format.js";
import { examples } from "../help.js";

/** Registers `schedule`. */
export function registerSchedule(program: Command, ctx: CliContext): void {
  program
    .command("schedule")
    .description(
      'Show the next times a schedule ("minute hour day month", as in targets) fires, in local time. ' +
        "The words are joined, so quoting is optional.",
    )
    .argument("<expression...>", "the cron expression, e.g. 0 3 or '*/30 8-18'")
    .option("-c, --count <n>", "how many times to show", integer(1, 100), 5)
    .addHelpText("after", examples("vieter schedule 0 3", "vieter schedule '0 */6 1-7' --count 10 -r"))
    .action(
      ctx.action(async (words: string[], opts: { count: number }) => {
        const output = ctx.output();
        const expression = words.join(" ");
        const res = await ctx.connection().client(TargetService).previewSchedule({ expression, count: opts.count });
        const times = res.occurrences.map((t) => dateOf(t)!);
        output.note(`"${expression}" runs in the server's time zone, ${res.timeZone}; shown in ${localZoneName()}:`);
        output.list(
          times,
          [{ header: "local time", cell: localTime }],
          { expression, timeZone: res.timeZone, occurrences: times },
          "It never fires.",
        );
      }),
    );
}
