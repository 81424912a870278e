/** `vieter agent`: starts a build agent, which the entry point hands in. */
import type { Command } from "commander";
import { defaultConfigFile } from "../context.js";
import { examples } from "./help.js";
import type { RoleRunner } from "./server.js";

/** Registers `agent`. */
export function registerAgent(program: Command, run: RoleRunner, setExit: (code: number) => void): void {
  program
    .command("agent")
    .description("Start a build agent: takes jobs from the server, builds them in containers, publishes the packages.")
    .addHelpText(
      "after",
      `
Configuration keys (TOML file, or VIETER_<KEY> / VIETER_<KEY>_FILE environment variables):
  address (the server, required), agent_token (this agent's token from the server's
  agent_tokens, required; never the admin API key), repo_address (the server as build
  containers reach it; default: address), arch (list; default: this machine's),
  max_concurrent_builds (1), image_rebuild_frequency (1440 minutes), data_dir (./data-agent),
  log_level, docker_socket (/var/run/docker.sock; Podman: its system service socket),
  build_network (bridge|host|none: the network for fetching sources and the version check),
  build_network_isolation (true: makepkg's build() and package() run without network),
  build_memory_limit (MiB per build container, 0 = none), build_cpus (e.g. 1.5, 0 = none).
${examples("VIETER_ADDRESS=http://server:8000 VIETER_AGENT_TOKEN_FILE=/run/secrets/token vieter agent")}`,
    )
    .action(async () => {
      const given = program.opts<{ configFile?: string }>().configFile;
      setExit(await run(given ?? defaultConfigFile(), given !== undefined));
    });
}
