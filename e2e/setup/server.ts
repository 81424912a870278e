/**
 * Starts a real server in-process on a free port with a fresh data folder,
 * for system tests.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { type VieterServer, createServer } from "../../server/app.js";
import { type ServerConfig, defaultServerConfig } from "../../server/config.js";

/** A running test server. */
export interface TestServer {
  readonly server: VieterServer;
  readonly port: number;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** The API key test servers use. */
export const TEST_API_KEY = "test-api-key-0123456789";

/** Starts a server on 127.0.0.1 with a temporary data folder. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = overrides.data_dir ?? (await mkdtemp(join(tmpdir(), "vieter-test-")));
  const config = defaultServerConfig({
    port: 0,
    host: "127.0.0.1",
    data_dir: dataDir,
    api_key: TEST_API_KEY,
    log_level: "ERROR",
    shutdown_timeout: 2,
    ...overrides,
  });
  const server = await createServer(config, { logger: pino({ level: "silent" }) });
  const port = await server.listen();
  return {
    server,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: config.api_key,
    dataDir,
    async stop() {
      await server.close();
      if (overrides.data_dir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
