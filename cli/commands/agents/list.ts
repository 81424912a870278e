/** `vieter agents list`: every agent the server has heard from since it started. */
import type { Command } from "commander";
import { AgentService } from "../../../gen/vieter/v1/agent_service_pb.js";
import type { CliContext } from "../../context.js";
import { AGENT_COLUMNS, agentView } from "../../output/agents.js";
import { examples } from "../help.js";

/** Registers `agents list`. */
export function registerAgentsList(agents: Command, ctx: CliContext): void {
  agents
    .command("list")
    .description(
      "List the agents the server has heard from since it started, by name " +
        "(columns: name, status ready|draining|disconnected, arches, jobs held/capacity, running job ids, " +
        "version, last seen).",
    )
    .addHelpText("after", examples("vieter agents list", "vieter agents list --json"))
    .action(
      ctx.action(async () => {
        const output = ctx.output();
        const res = await ctx.connection().client(AgentService).listAgents({});
        const views = res.agents.map(agentView);
        output.list(views, AGENT_COLUMNS, { agents: views }, "No agents.");
      }),
    );
}
