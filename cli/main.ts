/**
 * The `vieter` command line. Client commands live here; the server and agent
 * roles are handed in by the entry point (bin/vieter.js) so this folder never
 * imports them. Each command group is `commands/<noun>/`, one file per verb.
 */
import { Command, CommanderError } from "commander";
import { registerAgent } from "./commands/agent.js";
import { registerAgents } from "./commands/agents/index.js";
import { registerAur } from "./commands/aur/index.js";
import { registerCompletion } from "./commands/completion/index.js";
import { registerJobs } from "./commands/jobs/index.js";
import { registerLogs } from "./commands/logs/index.js";
import { registerRepos } from "./commands/repos/index.js";
import { registerSchedule } from "./commands/schedule/preview.js";
import { type RoleRunner, registerServer } from "./commands/server.js";
import { registerTargets } from "./commands/targets/index.js";
import { type CliIo, createContext, defaultConfigFile, processIo } from "./context.js";
import { DEFAULT_ADDRESS, DEFAULT_AUR_URL } from "./config.js";
import { EXIT } from "./errors.js";

export type { RoleRunner } from "./commands/server.js";

/** The roles the entry point provides. */
export interface Roles {
  readonly server: RoleRunner;
  readonly agent?: RoleRunner;
}

/** Vieter's default config file. */
export const DEFAULT_CONFIG_FILE = defaultConfigFile();

const GLOBAL_HELP = `
Client configuration (all optional; flags win over environment, environment over the file):
  address   server URL          --address, VIETER_ADDRESS (default ${DEFAULT_ADDRESS})
  api_key   the server's key    --api-key, VIETER_API_KEY, VIETER_API_KEY_FILE
  aur_url   the AUR             --aur-url, VIETER_AUR_URL (default ${DEFAULT_AUR_URL})
  All are read from the TOML file given with -f (default ~/.vieterrc), e.g.
    address = "https://vieter.example.com"
    api_key = "..."

Output: tables by default; -r/--raw prints tab-separated fields without a header,
--json one JSON document (times in UTC ISO 8601); tables show local time.

Exit status: 0 ok, 1 the server refused or failed the request, 2 bad command line or
client configuration, 3 server unreachable or API key refused.

Examples:
  $ vieter targets list
  $ VIETER_ADDRESS=http://build:8000 vieter repos packages extra --json`;

/** Builds the command tree; `io` defaults to the process's streams. */
export function buildProgram(roles: Roles, setExit: (code: number) => void, io: CliIo = processIo()): Command {
  const program = new Command("vieter")
    .description("Vieter: a pacman repository server and build system for Arch Linux packages.")
    .version(process.env.npm_package_version ?? "0.7.0", "-v, --version")
    .option("-f, --config-file <path>", `TOML config file (default: ${DEFAULT_CONFIG_FILE} if it exists)`)
    .option("--address <url>", `server URL (default: ${DEFAULT_ADDRESS})`)
    .option("--api-key <key>", "the server's API key (visible to other users in ps; prefer VIETER_API_KEY_FILE)")
    .option("--aur-url <url>", `the AUR for \`vieter aur\` (default: ${DEFAULT_AUR_URL})`)
    .option("-r, --raw", "tab-separated output without a header, for scripts")
    .option("--json", "one JSON document, for scripts")
    .addHelpText("after", GLOBAL_HELP)
    .showHelpAfterError("(add --help for usage and examples)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });

  const ctx = createContext(program, io, setExit);
  registerServer(program, roles.server, setExit);
  if (roles.agent) registerAgent(program, roles.agent, setExit);
  registerTargets(program, ctx);
  registerRepos(program, ctx);
  registerSchedule(program, ctx);
  registerJobs(program, ctx);
  registerLogs(program, ctx);
  registerAgents(program, ctx);
  registerAur(program, ctx);
  registerCompletion(program, ctx);
  return program;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], roles: Roles, io?: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(
    roles,
    (c) => {
      code = c;
    },
    io,
  );
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version end with 0; everything else commander reports is a usage error.
      return err.exitCode === 0 ? 0 : EXIT.usage;
    }
    throw err;
  }
  return code;
}
