/** `vieter agents …`: the admin view of the build agents (AgentService). */
import type { Command } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { registerAgentsDrain } from "./drain.js";
import { registerAgentsList } from "./list.js";

/** Registers the `agents` group (not to be confused with `vieter agent`, which runs one). */
export function registerAgents(program: Command, ctx: CliContext): void {
  const agents = program
    .command("agents")
    .description("See the build agents the server knows, and drain them before maintenance.")
    .addHelpText("after", examples("vieter agents list", "vieter agents drain builder-1"));
  registerAgentsList(agents, ctx);
  registerAgentsDrain(agents, ctx);
}
