/**
 * The client's configuration, as in Vieter: `address` and `api_key` from the
 * TOML file (`~/.vieterrc` or `-f`), `VIETER_ADDRESS`, `VIETER_API_KEY` or
 * `VIETER_API_KEY_FILE`, with `--address` / `--api-key` above all of them.
 * Each value remembers where it came from so errors can say which one to fix.
 */
import { type ConfigSchema, type ConfigSource, loadConfig } from "../lib/config.js";
import { stringKey } from "../lib/config-values.js";
import { UsageError } from "./errors.js";

/** Where `vieter server` listens by default. */
export const DEFAULT_ADDRESS = "http://localhost:8000";

/** The AUR `aur search` and `aur add` ask by default. */
export const DEFAULT_AUR_URL = "https://aur.archlinux.org";

/** What the client needs to reach the server, and where each value came from. */
export interface ClientSettings {
  /** Base URL without a trailing slash. */
  readonly address: string;
  readonly addressSource: string;
  readonly apiKey: string;
  /** e.g. `the --api-key flag`, `VIETER_API_KEY_FILE (/run/secrets/key)`, `config file /root/.vieterrc`. */
  readonly apiKeySource: string;
}

/** The global flags and environment the settings are resolved from. */
export interface SettingsInput {
  readonly configFile: string;
  /** True when the user named the file with -f (then it must exist). */
  readonly configFileGiven: boolean;
  readonly address?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

function addressProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL such as http://localhost:8000";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must start with http:// or https://";
  if (url.search !== "" || url.hash !== "") return "must not have a query or fragment";
  return undefined;
}

/** Resolves address and API key; throws {@link UsageError} when the key is missing. */
export function resolveSettings(input: SettingsInput): ClientSettings {
  // A flag replaces a key entirely, so a bad value elsewhere cannot get in its way.
  const schema: ConfigSchema = {};
  if (input.address === undefined) schema.address = stringKey(DEFAULT_ADDRESS, addressProblem);
  if (input.apiKey === undefined) schema.api_key = stringKey("", undefined, { secret: true });
  const { values, sources } = loadConfig(schema, {
    file: input.configFile,
    fileRequired: input.configFileGiven,
    env: input.env,
  });
  if (input.address !== undefined) {
    const problem = addressProblem(input.address);
    if (problem) throw new UsageError(`--address ${JSON.stringify(input.address)} ${problem}`);
  }
  const address = (input.address ?? (values.address as string)).replace(/\/+$/, "");
  const apiKey = input.apiKey ?? (values.api_key as string);
  if (apiKey === "") {
    throw new UsageError(
      `no API key: set api_key in ${input.configFile}, VIETER_API_KEY or VIETER_API_KEY_FILE, or pass --api-key ` +
        "(the server prints where it stored its key on first start)",
    );
  }
  return {
    address,
    addressSource: input.address !== undefined ? "the --address flag" : describe(sources.address!, input.env),
    apiKey,
    apiKeySource: input.apiKey !== undefined ? "the --api-key flag" : describe(sources.api_key!, input.env),
  };
}

/** The AUR's base URL and where it came from: `--aur-url`, else `aur_url` (file or VIETER_AUR_URL). */
export function resolveAurUrl(input: Omit<SettingsInput, "address" | "apiKey"> & { aurUrl?: string | undefined }): {
  url: string;
  source: string;
} {
  if (input.aurUrl !== undefined) {
    const problem = addressProblem(input.aurUrl);
    if (problem) throw new UsageError(`--aur-url ${JSON.stringify(input.aurUrl)} ${problem}`);
    return { url: input.aurUrl.replace(/\/+$/, ""), source: "the --aur-url flag" };
  }
  const { values, sources } = loadConfig(
    { aur_url: stringKey(DEFAULT_AUR_URL, addressProblem) },
    { file: input.configFile, fileRequired: input.configFileGiven, env: input.env },
  );
  return { url: values.aur_url.replace(/\/+$/, ""), source: describe(sources.aur_url, input.env) };
}

function describe(source: ConfigSource, env: NodeJS.ProcessEnv): string {
  if (source === "default") return "the default";
  if (source.startsWith("file ")) return `config file ${source.slice(5)}`;
  const name = source.slice(4);
  return name.endsWith("_FILE") ? `${name} (${env[name] ?? ""})` : name;
}
