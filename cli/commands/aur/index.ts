/** `vieter aur …`: find AUR packages and turn them into targets. */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerAurAdd } from "./add.js";
import { registerAurSearch } from "./search.js";

/** Registers the `aur` group. */
export function registerAur(program: Command, ctx: CliContext): void {
  const aur = program
    .command("aur")
    .description("Search the AUR and add its packages as targets (the AUR's address: --aur-url or aur_url).")
    .addHelpText("after", examples("vieter aur search paru", "vieter aur add extra paru yay"));
  registerAurSearch(aur, ctx);
  registerAurAdd(aur, ctx);
}
