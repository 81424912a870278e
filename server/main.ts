/**
 * `vieter server`: reads the configuration, starts the server and stops it
 * cleanly on SIGINT/SIGTERM.
 */
import { ConfigError } from "../lib/config.js";
import { createServer } from "./app.js";
import { loadServerConfig } from "./config.js";
import { applyHeapPolicy } from "./heap-policy.js";

/** Runs the server until a signal arrives; returns the process exit code. */
export async function runServer(configFile: string | undefined, fileRequired: boolean): Promise<number> {
  let config;
  try {
    config = loadServerConfig(configFile, fileRequired);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  // Signal handlers first: a SIGTERM that arrives while starting must still stop cleanly.
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const stop = (signal: NodeJS.Signals): void => {
    process.stderr.write(`vieter: ${signal} received, shutting down\n`);
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    stopRequested();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  applyHeapPolicy();
  const server = await createServer(config);
  if (server.apiKeyFile) process.stderr.write(`vieter: API key stored in ${server.apiKeyFile}\n`);
  const port = await server.listen();
  process.stderr.write(`vieter: server listening on port ${port} (data in ${server.context.dataDir})\n`);
  await stopped;
  await server.close();
  return 0;
}
