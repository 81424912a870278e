/** `vieter agents drain <name> [--undo]`: stops or resumes handing new jobs to an agent. */
import type { Command } from "commander";
import { AgentService } from "../../../gen/vieter/v1/agent_service_pb.js";
import type { CliContext } from "../../context.js";
import { agentView } from "../../output/agents.js";
import { examples } from "../help.js";

/** Registers `agents drain`. */
export function registerAgentsDrain(agents: Command, ctx: CliContext): void {
  agents
    .command("drain")
    .description(
      "Stop handing new jobs to an agent; the builds it runs finish. --undo lets it take jobs again. " +
        "Draining lasts until the server restarts.",
    )
    .argument("<name>", "the agent's name (see `vieter agents list`)")
    .option("--undo", "resume handing jobs to the agent")
    .addHelpText("after", examples("vieter agents drain builder-1", "vieter agents drain builder-1 --undo"))
    .action(
      ctx.action(async (name: string, opts: { undo?: boolean }) => {
        const output = ctx.output();
        const res = await ctx.connection().client(AgentService).drainAgent({ name, draining: !opts.undo });
        const view = agentView(res.agent!);
        const running = view.runningJobIds.length;
        const sentence = view.draining
          ? `Agent ${name} is draining: it takes no new jobs` +
            (running > 0 ? `; ${running} running job${running === 1 ? "" : "s"} will finish.` : ".")
          : `Agent ${name} takes jobs again.`;
        output.done(sentence, undefined, view);
      }),
    );
}
