/** `vieter server`: starts the server role, which the entry point hands in. */
import type { Command } from "commander";
import { defaultConfigFile } from "../context.js";
import { examples } from "./help.js";

/** Starts a role with the chosen config file; resolves with the exit code. */
export type RoleRunner = (configFile: string | undefined, fileRequired: boolean) => Promise<number>;

/** Registers `server`. */
export function registerServer(program: Command, run: RoleRunner, setExit: (code: number) => void): void {
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
  collect_metrics, default_build_timeout (3600 s), tls_cert_file, tls_key_file, shutdown_timeout,
  agent_tokens (name:token list), agent_lease_timeout (20 s), max_transient_retries (2),
  max_lost_requeues (1: a job whose agent was lost is re-queued once, then fails with agent_lost),
  max_upload_size, allow_downgrade_repos, sendfile (true: send package files with the native addon when it is built).
${examples("vieter server", "VIETER_PORT=8080 vieter -f /etc/vieter.toml server")}`,
    )
    .action(async () => {
      const given = program.opts<{ configFile?: string }>().configFile;
      setExit(await run(given ?? defaultConfigFile(), given !== undefined));
    });
}
