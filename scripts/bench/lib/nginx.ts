/**
 * Debian's nginx as the yardstick for serving static bytes: one process
 * (`master_process off`, one worker), started as our child with a generated
 * config whose pid, logs and temp paths all live in a temp folder, so nothing
 * under /etc or /var is touched.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "./child-server.js";
import { note } from "./report.js";

/** A running nginx. */
export interface Nginx {
  readonly pid: number;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

const NGINX = "/usr/sbin/nginx";

/** Installs Debian's nginx-light when nginx is missing and we are root (call before a long fill); throws if it stays missing. */
export function ensureNginx(): void {
  if (existsSync(NGINX)) return;
  if (process.getuid?.() === 0) {
    note("nginx is not installed; trying apt-get install -y nginx-light");
    const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "nginx-light"], { stdio: "ignore" }).status;
    if (install() !== 0) {
      spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      install();
    }
  }
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx-light`);
}

/** Serves `root` (files at their paths below it) on a free 127.0.0.1 port; `dir` holds config and logs. */
export async function startNginx(dir: string, root: string): Promise<Nginx> {
  const port = await freePort();
  for (const sub of ["logs", "tmp"]) await mkdir(join(dir, sub), { recursive: true });
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((name) => `  ${name}_temp_path ${join(dir, "tmp", name)};`)
    .join("\n");
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "logs", "error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
${temp}
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`;
  const confPath = join(dir, "nginx.conf");
  await writeFile(confPath, conf);
  const errorLog = join(dir, "logs", "error.log");
  const child: ChildProcess = spawn(NGINX, ["-p", dir, "-e", errorLog, "-c", confPath], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}; see ${errorLog}`);
    try {
      await fetch(`${baseUrl}/`);
      break;
    } catch {
      if (i > 100) throw new Error("nginx did not start within 10 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    pid: child.pid!,
    baseUrl,
    async stop() {
      child.kill("SIGQUIT");
      await exited;
    },
  };
}
