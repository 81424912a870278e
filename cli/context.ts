/**
 * What every client command gets: the global flags, the chosen output, a
 * lazily opened connection, and a wrapper that turns any failure into one
 * line on stderr plus an exit status (see errors.ts).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { type ClientSettings, resolveAurUrl, resolveSettings } from "./config.js";
import { type Connection, createConnection } from "./connection.js";
import { UsageError, explain } from "./errors.js";
import { type Output, type OutputMode, type OutputStreams, createOutput } from "./output/output.js";

/** The process around the command line; tests may pass their own. */
export interface CliIo extends OutputStreams {
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (then progress is drawn as a bar). */
  readonly stderrIsTty: boolean;
  /** Terminal width, when known. */
  readonly columns?: number | undefined;
}

/** The options every command accepts, declared on the root command. */
export interface GlobalOptions {
  configFile?: string;
  address?: string;
  apiKey?: string;
  aurUrl?: string;
  raw?: boolean;
  json?: boolean;
}

/** Per-invocation services for commands. */
export interface CliContext {
  readonly io: CliIo;
  /** The output for `-r` / `--json` / neither. */
  output(): Output;
  /** Address and key; reads the config file and environment on first use. */
  settings(): ClientSettings;
  /** The AUR's base URL (`--aur-url`, `aur_url`) and where it came from; needs no API key. */
  aur(): { url: string; source: string };
  /** The connection to the server, opened on first use. */
  connection(): Connection;
  /** Sets the exit status without stopping (e.g. one of several uploads failed). */
  setExit(code: number): void;
  /** Wraps a command action: a thrown error is printed as `error: …` and sets the exit status. */
  action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void>;
}

/** The default client config file, Vieter's `~/.vieterrc`. */
export function defaultConfigFile(): string {
  return join(homedir(), ".vieterrc");
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
    // A pseudo-terminal without a size reports 0 columns; COLUMNS is the shell's answer then.
    columns: process.stderr.columns || Number(process.env.COLUMNS) || undefined,
  };
}

/** Creates the context for `program`, whose global options are read when a command runs. */
export function createContext(program: Command, io: CliIo, setExit: (code: number) => void): CliContext {
  let settings: ClientSettings | undefined;
  let connection: Connection | undefined;
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const ctx: CliContext = {
    io,
    output() {
      const { raw, json } = globals();
      if (raw && json) throw new UsageError("choose one of -r/--raw and --json");
      const mode: OutputMode = json ? "json" : raw ? "raw" : "table";
      return createOutput(mode, io);
    },
    settings() {
      const g = globals();
      settings ??= resolveSettings({
        configFile: g.configFile ?? defaultConfigFile(),
        configFileGiven: g.configFile !== undefined,
        address: g.address,
        apiKey: g.apiKey,
        env: io.env,
      });
      return settings;
    },
    aur() {
      const g = globals();
      return resolveAurUrl({
        configFile: g.configFile ?? defaultConfigFile(),
        configFileGiven: g.configFile !== undefined,
        aurUrl: g.aurUrl,
        env: io.env,
      });
    },
    connection() {
      connection ??= createConnection(ctx.settings());
      return connection;
    },
    setExit,
    action(fn) {
      return async (...args) => {
        try {
          await fn(...args);
        } catch (err) {
          const { message, exitCode } = explain(err, settings);
          io.stderr.write(`error: ${message}\n`);
          setExit(exitCode);
        }
      };
    },
  };
  return ctx;
}
