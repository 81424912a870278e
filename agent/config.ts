/**
 * `vieter agent` configuration, Vieter's keys where Vieter had them. The
 * agent's own token replaces the admin API key, which an agent never holds.
 */
import { arch as hostArch } from "node:os";
import { type ConfigKey, type ConfigValues, ConfigValueError, loadConfig } from "../lib/config.js";
import { boolKey, decimalKey, enumKey, intKey, listKey, stringKey } from "../lib/config-values.js";
import { archNameProblem } from "../lib/names.js";

/** Debian's and Node's names for the host CPU, as pacman names it. */
const PACMAN_ARCH: Record<string, string> = { x64: "x86_64", arm64: "aarch64", arm: "armv7h", riscv64: "riscv64" };

/** MiB, 0 for no limit: container engines refuse limits of a few MiB, and makepkg needs far more anyway. */
function memoryLimitKey(): ConfigKey<number> {
  const mib = intKey(0, 0, 1_048_576);
  return {
    default: 0,
    parse(raw) {
      const value = mib.parse(raw);
      if (value > 0 && value < 64) throw new ConfigValueError("must be 0 (no limit) or from 64 to 1048576 (MiB)");
      return value;
    },
  };
}

/** Every key `vieter agent` reads. */
export const agentConfigSchema = {
  address: stringKey(undefined, (v) => (/^https?:\/\/[^\s]+$/.test(v) ? undefined : "must be an http(s) URL")),
  agent_token: stringKey(undefined, (v) => (v.length >= 16 ? undefined : "must be at least 16 characters"), {
    secret: true,
  }),
  /** The server's address as seen from inside build containers; default: address. */
  repo_address: stringKey("", (v) =>
    v === "" || /^https?:\/\/[^\s]+$/.test(v) ? undefined : "must be an http(s) URL",
  ),
  arch: listKey([PACMAN_ARCH[hostArch()] ?? hostArch()], archNameProblem),
  max_concurrent_builds: intKey(1, 1, 256),
  image_rebuild_frequency: intKey(1440, 1, 525600),
  data_dir: stringKey("data-agent"),
  log_level: enumKey("INFO", ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const),
  /** Docker Engine API socket: Docker's, or Podman's `podman system service`. */
  docker_socket: stringKey("/var/run/docker.sock"),
  /** Build container network up to the version check: bridge (default), host or none. */
  build_network: enumKey("bridge", ["bridge", "host", "none"] as const),
  /** Run makepkg's build()/package() in a second container without network; off only for PKGBUILDs needing it. */
  build_network_isolation: boolKey(true),
  /** Memory limit of each build container in MiB; 0 means none. */
  build_memory_limit: memoryLimitKey(),
  /** CPUs each build container may use (e.g. 1.5); 0 means no limit. */
  build_cpus: decimalKey(0, 0, 1024, 3),
};

/** The agent's validated configuration. */
export type AgentConfig = ConfigValues<typeof agentConfigSchema>;

/** Loads and validates the agent config; throws ConfigError with one line. */
export function loadAgentConfig(file: string | undefined, fileRequired: boolean, env?: NodeJS.ProcessEnv): AgentConfig {
  return loadConfig(agentConfigSchema, { ...(file ? { file } : {}), fileRequired, ...(env ? { env } : {}) }).values;
}
