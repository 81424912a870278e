/**
 * Vieter-style configuration: a flat TOML file, every key overridable by
 * `VIETER_<KEY>` and `VIETER_<KEY>_FILE` (the value read from a file, for
 * secrets). Precedence: default < file < env < env _FILE; setting both the
 * env var and its _FILE twin is an error. Each role (server, agent, cli)
 * declares its keys as a {@link ConfigSchema}.
 */
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";

/** Where a configuration value came from, for error messages. */
export type ConfigSource = "default" | `file ${string}` | `env ${string}`;

/** One key of a schema: how to turn raw input into a typed value. */
export interface ConfigKey<T> {
  /** Value when nothing sets the key; undefined makes the key required. */
  readonly default?: T;
  /** Converts and validates; throws {@link ConfigValueError} with what is allowed. */
  readonly parse: (raw: unknown) => T;
  /** Secret values are never echoed in errors. */
  readonly secret?: boolean;
}

/** A role's keys, by their Vieter names (snake_case). */
export type ConfigSchema = Record<string, ConfigKey<unknown>>;

/** The typed values a schema produces. */
export type ConfigValues<S extends ConfigSchema> = {
  [K in keyof S]: S[K] extends ConfigKey<infer T> ? T : never;
};

/** Thrown by a key's parser: `allowed` says what would have been accepted. */
export class ConfigValueError extends Error {
  constructor(readonly allowed: string) {
    super(allowed);
  }
}

/** A configuration problem, as one line naming the key, the value and what is allowed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Inputs to {@link loadConfig}. */
export interface LoadConfigOptions {
  /** TOML file path; read if it exists. */
  readonly file?: string;
  /** Whether a missing file is an error (true when the user named it). */
  readonly fileRequired?: boolean;
  /** Environment to read VIETER_* from. */
  readonly env?: NodeJS.ProcessEnv;
}

const PREFIX = "VIETER_";

/** Loads and validates every key of `schema`; throws {@link ConfigError}. */
export function loadConfig<S extends ConfigSchema>(
  schema: S,
  options: LoadConfigOptions = {},
): { values: ConfigValues<S>; sources: Record<keyof S, ConfigSource> } {
  const env = options.env ?? process.env;
  const fromFile = readTomlFile(options.file, options.fileRequired ?? false);
  const values: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const found = lookup(key, env, fromFile, options.file);
    if (found === undefined) {
      if (spec.default === undefined) {
        throw new ConfigError(`config: ${key} is required (set it in the config file or ${envName(key)})`);
      }
      values[key] = spec.default;
      sources[key] = "default";
      continue;
    }
    try {
      values[key] = spec.parse(found.raw);
    } catch (err) {
      const allowed = err instanceof ConfigValueError ? err.allowed : String(err);
      const shown = spec.secret ? "(secret)" : JSON.stringify(found.raw);
      throw new ConfigError(`config: invalid ${key} ${shown} from ${found.source}: ${allowed}`);
    }
    sources[key] = found.source;
  }
  return { values: values as ConfigValues<S>, sources: sources as Record<keyof S, ConfigSource> };
}

/** The environment variable that sets `key`. */
export function envName(key: string): string {
  return PREFIX + key.toUpperCase();
}

function lookup(
  key: string,
  env: NodeJS.ProcessEnv,
  fromFile: Record<string, unknown>,
  file: string | undefined,
): { raw: unknown; source: ConfigSource } | undefined {
  const name = envName(key);
  const direct = env[name];
  const fileVar = env[`${name}_FILE`];
  if (direct !== undefined && fileVar !== undefined) {
    throw new ConfigError(`config: both ${name} and ${name}_FILE are set; use only one`);
  }
  if (fileVar !== undefined) {
    let text: string;
    try {
      text = readFileSync(fileVar, "utf8");
    } catch (err) {
      throw new ConfigError(`config: cannot read ${name}_FILE ${JSON.stringify(fileVar)}: ${(err as Error).message}`);
    }
    // Secret files usually end with a newline that is not part of the value.
    return { raw: text.replace(/\r?\n$/, ""), source: `env ${name}_FILE` };
  }
  if (direct !== undefined) return { raw: direct, source: `env ${name}` };
  if (Object.hasOwn(fromFile, key)) return { raw: fromFile[key], source: `file ${file ?? ""}` };
  return undefined;
}

function readTomlFile(file: string | undefined, required: boolean): Record<string, unknown> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && !required) return {};
    throw new ConfigError(`config: cannot read config file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const first = String((err as Error).message).split("\n")[0];
    throw new ConfigError(`config: ${file} is not valid TOML: ${first}`);
  }
}
