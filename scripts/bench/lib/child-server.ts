/**
 * Our server as a separate process (`node bin/vieter.js server`), so a load
 * generator in the bench process does not steal its CPU, plus the helpers
 * around it: a free port, pre-filling a data folder in-process, and reading
 * a process's CPU time from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { createServer } from "../../../server/app.js";
import { defaultServerConfig } from "../../../server/config.js";
import type { Repository } from "../../../server/repo/repository.js";
import { serverNodeArgs } from "./node-args.js";

/** The API key the bench servers use. */
export const BENCH_API_KEY = "bench-api-key-0123456789";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLOCK_TICKS_PER_SECOND = 100;

/** A running server process. */
export interface ChildServer {
  readonly pid: number;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Opens the data folder in-process, lets `fill` publish into it, closes it again. */
export async function prefill(dataDir: string, fill: (repository: Repository) => Promise<void>): Promise<void> {
  const config = defaultServerConfig({ data_dir: dataDir, api_key: BENCH_API_KEY, log_level: "ERROR" });
  const server = await createServer(config, { logger: pino({ level: "silent" }) });
  try {
    await fill(server.context.repository);
  } finally {
    await server.close();
  }
}

/**
 * Starts `vieter server` on a free port over `dataDir` and waits until
 * /health answers. Node options for the server alone (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`) can be given in BENCH_SERVER_NODE_ARGS; `env`
 * adds to its environment (e.g. a `VIETER_*` key).
 */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const port = await freePort();
  const nodeArgs = serverNodeArgs();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(ROOT, "bin/vieter.js"), "server"], {
    cwd: ROOT,
    env: {
      ...process.env,
      VIETER_PORT: String(port),
      VIETER_HOST: "127.0.0.1",
      VIETER_DATA_DIR: dataDir,
      VIETER_API_KEY: BENCH_API_KEY,
      VIETER_LOG_LEVEL: "ERROR",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`vieter server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      if (i > 300) throw new Error("vieter server did not answer /health within 30 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid: child.pid!,
    baseUrl,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** User plus system CPU time of a process so far, in milliseconds (from /proc/<pid>/stat). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}
