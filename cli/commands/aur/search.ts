/** `vieter aur search <term>`: AUR packages by name and description. */
import type { Command } from "commander";
import { searchAur } from "../../aur-client.js";
import type { CliContext } from "../../context.js";
import { UsageError } from "../../errors.js";
import { AUR_COLUMNS, aurPackageView } from "../../output/aur.js";
import { examples } from "../help.js";

/** Registers `aur search`. */
export function registerAurSearch(aur: Command, ctx: CliContext): void {
  aur
    .command("search")
    .description(
      "Search the AUR for packages whose name or description contains the term, most voted first " +
        "(columns: name, version, votes, updated, description). Needs no API key.",
    )
    .argument("<term>", "at least two characters")
    .addHelpText(
      "after",
      examples("vieter aur search paru", "vieter --aur-url https://aur.example.org aur search yay -r"),
    )
    .action(
      ctx.action(async (term: string) => {
        const output = ctx.output();
        if (term.trim().length < 2) throw new UsageError("the AUR searches for at least two characters");
        const found = (await searchAur(ctx.aur(), term.trim())).map(aurPackageView);
        found.sort((a, b) => b.votes - a.votes || a.name.localeCompare(b.name));
        output.list(found, AUR_COLUMNS, { results: found }, `No AUR package matches "${term}".`);
      }),
    );
}
