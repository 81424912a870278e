/**
 * The `vieter` command line. Client commands live here; the server and agent
 * roles are handed in by the entry point (bin/vieter.js) so this folder never
 * imports them.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";

/** Starts a role with the chosen config file; resolves with the exit code. */
export type RoleRunner = (configFile: string | undefined, fileRequired: boolean) => Promise<number>;

/** The roles the entry point provides. */
export interface Roles {
  readonly server: RoleRunner;
}

/** Vieter's default config file. */
export const DEFAULT_CONFIG_FILE = join(homedir(), ".vieterrc");

/** Builds the command tree. */
export function buildProgram(roles: Roles, setExit: (code: number) => void): Command {
  const program = new Command("vieter")
    .description("Vieter: a pacman repository server and build system for Arch Linux packages.")
    .version(process.env.npm_package_version ?? "0.7.0", "-v, --version")
    .option("-f, --config-file <path>", `TOML config file (default: ${DEFAULT_CONFIG_FILE} if it exists)`)
    .showHelpAfterError()
    .exitOverride();

  const configChoice = (): [string, boolean] => {
    const given = program.opts<{ configFile?: string }>().configFile;
    return given === undefined ? [DEFAULT_CONFIG_FILE, false] : [given, true];
  };

  program
    .command("server")
    .description("Start the repository and build server (Connect/gRPC API and pacman repos on one port).")
    .addHelpText(
      "after",
      `
Configuration keys (TOML file, or VIETER_<KEY> / VIETER_<KEY>_FILE environment variables):
  port (8000), host, data_dir (./data), pkg_dir (<data_dir>/pkgs), api_key (generated into
  <data_dir>/api-key when unset), log_level (FATAL|ERROR|WARN|INFO|DEBUG), default_arch (x86_64),
  global_schedule ("0 3"), time_zone (UTC), base_image, max_log_age, log_removal_schedule,
  collect_metrics, default_build_timeout (3600 s), tls_cert_file, tls_key_file, shutdown_timeout.

Example:
  VIETER_PORT=8080 vieter server`,
    )
    .action(async () => {
      const [file, required] = configChoice();
      setExit(await roles.server(file, required));
    });

  return program;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[], roles: Roles): Promise<number> {
  let code = 0;
  const program = buildProgram(roles, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return code;
}
