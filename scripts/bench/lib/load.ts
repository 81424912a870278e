/**
 * HTTP load: `wrk` (Debian package; installed on demand when running as
 * root), or, when it cannot be had, a small keep-alive Node client in its own
 * process (http-load.ts), which is itself slower and so a weaker yardstick.
 */
import { execFile, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { note } from "./report.js";

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));

/** What one load run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Responses that were not 2xx/3xx, plus socket errors. */
  readonly errors: number;
}

/** Which load generator {@link runLoad} uses. */
export type LoadTool = "wrk" | "node";

function hasWrk(): boolean {
  return spawnSync("wrk", ["--version"]).error === undefined;
}

/** Finds wrk, installing Debian's package when possible; otherwise falls back to the Node client. */
export function chooseLoadTool(): LoadTool {
  if (hasWrk()) return "wrk";
  if (process.getuid?.() === 0) {
    note("wrk is not installed; trying apt-get install -y wrk");
    let install = spawnSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "ignore" });
    if (install.status !== 0) {
      spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      install = spawnSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "ignore" });
    }
    if (hasWrk()) return "wrk";
  }
  note("wrk is not available: using the Node load client, which saturates earlier than wrk");
  return "node";
}

/** GETs `url` over `connections` keep-alive connections for `seconds`. */
export async function runLoad(tool: LoadTool, url: string, connections: number, seconds: number): Promise<LoadResult> {
  return tool === "wrk" ? runWrk(url, connections, seconds) : runNodeLoad(url, connections, seconds);
}

async function runWrk(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const { stdout } = await run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "30s", url]);
  const total = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
  if (!total) throw new Error(`cannot read wrk's output:\n${stdout}`);
  const requests = Number(total[1]);
  const elapsed = Number(total[2]) / (total[3] === "ms" ? 1000 : 1);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requests, seconds: elapsed, requestsPerSecond: requests / elapsed, errors: non2xx + socketErrors };
}

async function runNodeLoad(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", join(HERE, "http-load.ts"), url, String(connections), String(seconds)],
    { cwd: join(HERE, "../../.."), maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout) as Omit<LoadResult, "requestsPerSecond">;
  return { ...result, requestsPerSecond: result.requests / result.seconds };
}
