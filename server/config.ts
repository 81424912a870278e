/**
 * The server's configuration keys. Names follow Vieter 0.6 so existing
 * configs carry over; see lib/config.ts for file/env precedence.
 */
import { type ConfigKey, ConfigError, ConfigValueError, type ConfigValues, loadConfig } from "../lib/config.js";
import { boolKey, enumKey, intKey, listKey, stringKey } from "../lib/config-values.js";
import { buildArchProblem } from "../lib/names.js";
import { checkSchedule, checkTimeZone } from "./config-checks.js";

const LOG_LEVELS = ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;

/** The pino level for a Vieter log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every key `vieter server` reads. */
export const serverConfigSchema = {
  port: intKey(8000, 0, 65535),
  host: stringKey(""),
  log_level: enumKey<LogLevel>("INFO", LOG_LEVELS),
  data_dir: stringKey("data", nonEmpty),
  pkg_dir: stringKey(""),
  api_key: stringKey("", () => undefined, { secret: true }),
  default_arch: stringKey("x86_64", buildArchProblem),
  global_schedule: stringKey("0 3", checkSchedule),
  time_zone: stringKey("UTC", checkTimeZone),
  base_image: stringKey("archlinux:base-devel", nonEmpty),
  max_log_age: intKey(0, 0, 36500),
  log_removal_schedule: stringKey("0 0", checkSchedule),
  collect_metrics: boolKey(false),
  default_build_timeout: intKey(3600, 1, 7 * 24 * 3600),
  tls_cert_file: stringKey(""),
  tls_key_file: stringKey(""),
  shutdown_timeout: intKey(10, 0, 3600),
  /** Seconds without a heartbeat after which an agent's jobs are lost and re-queued. */
  agent_lease_timeout: intKey(20, 2, 3600),
  /** Automatic retries of a job whose failure may pass (container engine, publish 5xx); 0 disables. */
  max_transient_retries: intKey(2, 0, 100),
  /** Re-queues of a job whose agent stopped renewing its lease, per retry chain; then it fails (agent_lost). */
  max_lost_requeues: intKey(1, 0, 100),
  /** Agent credentials, "name:token" each (use VIETER_AGENT_TOKENS_FILE to keep them out of the environment). */
  agent_tokens: agentTokensKey(),
  /** Largest package upload in bytes (default 2 GiB). */
  max_upload_size: intKey(2 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
  /** Repos where an older version may replace a newer one ("*" for all). */
  allow_downgrade_repos: listKey([]),
  /**
   * Send package files with the native sendfile addon (HTTP/1.1 without TLS) when it is built;
   * false: through Node's streams (and a memory cache of recent files).
   */
  sendfile: boolKey(true),
};

/** The server's validated configuration. */
export type ServerConfig = ConfigValues<typeof serverConfigSchema>;

/** Parses "name:token" pairs; a token must be long enough to resist guessing. */
function agentTokensKey(): ConfigKey<ReadonlyMap<string, string>> {
  const list = listKey([]);
  return {
    default: new Map(),
    secret: true,
    parse(raw) {
      const tokens = new Map<string, string>();
      for (const [i, item] of list.parse(raw).entries()) {
        // Messages name the entry's position and name, never the token.
        const m = /^([A-Za-z0-9._-]{1,64}):(\S{16,})$/.exec(item);
        if (!m) {
          throw new ConfigValueError(
            `entry ${i + 1} must be name:token (name of A-Z a-z 0-9 . _ -, token of at least 16 characters)`,
          );
        }
        if (tokens.has(m[1]!)) throw new ConfigValueError(`agent name ${m[1]} appears twice`);
        tokens.set(m[1]!, m[2]!);
      }
      return tokens;
    },
  };
}

function nonEmpty(v: string): string | undefined {
  return v.trim() === "" ? "must not be empty" : undefined;
}

/** Loads and validates the server config; throws ConfigError with one line. */
export function loadServerConfig(
  file: string | undefined,
  fileRequired: boolean,
  env?: NodeJS.ProcessEnv,
): ServerConfig {
  const { values } = loadConfig(serverConfigSchema, {
    ...(file ? { file } : {}),
    fileRequired,
    ...(env ? { env } : {}),
  });
  if ((values.tls_cert_file === "") !== (values.tls_key_file === "")) {
    throw new ConfigError("config: tls_cert_file and tls_key_file must be set together");
  }
  return values;
}

/** Defaults for every key, for tests and embedding. */
export function defaultServerConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig(serverConfigSchema, { env: {} }).values, ...overrides };
}
