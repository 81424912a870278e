/** Runs the real `vieter server` binary as a child process, for tests that kill it. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/vieter.js", import.meta.url));

/** A running server process. */
export interface ChildServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  output(): string;
}

/** Where the child runs: `cwd` (default: the test's) is also its HOME when given. */
export interface ChildOptions {
  readonly cwd?: string;
}

function spawnServer(env: Record<string, string>, { cwd }: ChildOptions): ChildProcess {
  return spawn(process.execPath, [BIN, "server"], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd ?? env.VIETER_DATA_DIR,
      VIETER_PORT: "0",
      VIETER_HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts `vieter server` with `env` (VIETER_*); resolves once it listens. */
export function startChildServer(env: Record<string, string>, options: ChildOptions = {}): Promise<ChildServer> {
  const child = spawnServer(env, options);
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m) {
        const port = Number(m[1]);
        resolve({ child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => out });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`server exited (${code ?? signal}) before listening: ${out}`)),
    );
  });
}

/** Sends `signal` and waits for the process to end. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", (code) => resolve(code));
    child.kill(signal);
  });
}

/** Runs `vieter server` expecting it to stop by itself (a refused config): its exit code and stderr. */
export function runChildServerToExit(
  env: Record<string, string>,
  options: ChildOptions = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawnServer(env, options);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
}
