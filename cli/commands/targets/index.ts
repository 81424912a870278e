/** `vieter targets …`: the TargetService commands, plus `build` (JobService). */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerTargetsAdd } from "./add.js";
import { registerTargetsBuild } from "./build.js";
import { registerTargetsEdit } from "./edit.js";
import { registerTargetsInfo } from "./info.js";
import { registerTargetsList } from "./list.js";
import { registerTargetsRemove } from "./remove.js";

/** Registers the `targets` group. */
export function registerTargets(program: Command, ctx: CliContext): void {
  const targets = program
    .command("targets")
    .description("Manage build targets: what Vieter builds, for which arches, when, and where it publishes.")
    .addHelpText(
      "after",
      examples("vieter targets list", "vieter targets add https://aur.archlinux.org/paru.git extra"),
    );
  registerTargetsList(targets, ctx);
  registerTargetsAdd(targets, ctx);
  registerTargetsInfo(targets, ctx);
  registerTargetsEdit(targets, ctx);
  registerTargetsRemove(targets, ctx);
  registerTargetsBuild(targets, ctx);
}
