/**
 * Runs the real `vieter` binary as a child process with a throw-away HOME (so
 * no ~/.vieterrc leaks in), a fixed non-UTC time zone (so "local time" is
 * visible in the output) and, unless a test says otherwise, the address and
 * key of a test server in VIETER_ADDRESS / VIETER_API_KEY.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../bin/vieter.js", import.meta.url));

/** India has a +05:30 offset and no daylight saving: local times are easy to predict. */
export const TEST_TZ = "Asia/Kolkata";

/** What a run printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vieter` with arguments and extra environment (a value of undefined removes a variable). */
export type RunCli = (args: readonly string[], env?: Record<string, string | undefined>) => Promise<CliResult>;

/** A `vieter` process still running: what it printed so far, and its end. */
export interface RunningCli {
  readonly stdout: () => string;
  /** Resolves once stdout contains `text` (rejects if the process ends first). */
  waitForStdout(text: string): Promise<void>;
  readonly done: Promise<CliResult>;
  /** Sends SIGINT, as Ctrl-C would, to a command that runs until interrupted. */
  interrupt(): void;
}

/** A runner bound to one home directory. */
export interface CliRunner {
  readonly home: string;
  readonly run: RunCli;
  /** Starts `vieter` without waiting for it, for commands that stream (follow, watch). */
  readonly start: (args: readonly string[], env?: Record<string, string | undefined>) => RunningCli;
  /** Runs `vieter` on a pseudo-terminal (util-linux `script`); stdout and stderr arrive mixed in `stdout`. */
  readonly runInTerminal: RunCli;
  cleanup(): Promise<void>;
}

/** Creates a runner; `server` supplies VIETER_ADDRESS and VIETER_API_KEY by default. */
export async function createCliRunner(server?: { baseUrl: string; apiKey: string }): Promise<CliRunner> {
  const home = await mkdtemp(join(tmpdir(), "vieter-cli-home-"));
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    TZ: TEST_TZ,
    LANG: "C.UTF-8",
    ...(server ? { VIETER_ADDRESS: server.baseUrl, VIETER_API_KEY: server.apiKey } : {}),
  };
  const start = (command: string, args: readonly string[], env: Record<string, string | undefined>) => {
    const merged = Object.fromEntries(
      Object.entries({ ...base, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return spawn(command, args, { env: merged, stdio: ["ignore", "pipe", "pipe"] });
  };
  return {
    home,
    run: (args, env = {}) => collect(start(process.execPath, [BIN, ...args], env)),
    start(args, env = {}) {
      const child = start(process.execPath, [BIN, ...args], env);
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const done = collect(child);
      return {
        stdout: () => out,
        done,
        interrupt: () => void child.kill("SIGINT"),
        waitForStdout: (text) =>
          new Promise<void>((resolve, reject) => {
            const check = () => {
              if (!out.includes(text)) return;
              child.stdout.off("data", check);
              resolve();
            };
            child.stdout.on("data", check);
            check();
            void done.then((r) => reject(new Error(`vieter ended (${r.code}) before printing ${text}: ${r.stderr}`)));
          }),
      };
    },
    runInTerminal(args, env = {}) {
      const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
      return collect(start("script", ["-qec", quoted, "/dev/null"], env));
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

function collect(child: ChildProcessByStdio<null, Readable, Readable>): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The tab-separated fields of each line of raw output. */
export function rawRows(stdout: string): string[][] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.split("\t"));
}

/** `YYYY-MM-DD HH:mm:ss` of `date` in {@link TEST_TZ}, to compare with what the CLI prints. */
export function testLocalTime(date: Date): string {
  const shifted = new Date(date.getTime() + (5 * 60 + 30) * 60_000);
  return shifted.toISOString().slice(0, 19).replace("T", " ");
}
