/**
 * A real AppContext for service tests: a fresh, migrated SQLite file in a
 * temp folder, a silent logger and a settable clock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createAuthenticator } from "../auth/authenticator.js";
import type { Clock } from "../clock.js";
import { type ServerConfig, defaultServerConfig } from "../config.js";
import type { AppContext } from "../context.js";
import { createAgentHub } from "../agents/create.js";
import { createJobEvents } from "../jobs/index.js";
import { createLogs, jobLogSink } from "../logs/index.js";
import { createRepository } from "../repo/create.js";
import { openStore } from "../store/orm.js";

/** The key service tests authenticate with. */
export const TEST_KEY = "service-test-key";

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(t: Date): void;
  advance(ms: number): void;
}

/** A clock starting at `start`. */
export function manualClock(start = new Date("2026-01-01T00:00:00Z")): ManualClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = d.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** A test context; `dispose` closes and deletes its database. */
export type TestContext = AppContext & { readonly clock: ManualClock; dispose(): Promise<void> };

/** Builds a context over a fresh database. */
export async function createTestContext(config: Partial<ServerConfig> = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), "vieter-svc-"));
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  const fullConfig = defaultServerConfig({ data_dir: dataDir, api_key: TEST_KEY, ...config });
  const logger = pino({ level: process.env.VIETER_TEST_LOG ?? "silent" });
  const clock = manualClock();
  const repository = createRepository(fullConfig, store, join(dataDir, "pkgs"), clock, logger);
  await repository.recover();
  const jobEvents = createJobEvents();
  const logs = await createLogs({ store, clock, logger, jobEvents, dataDir });
  return {
    config: fullConfig,
    logger,
    store,
    clock,
    repository,
    authenticator: createAuthenticator({ apiKey: TEST_KEY, agentTokens: fullConfig.agent_tokens }),
    jobEvents,
    logs,
    agents: createAgentHub(fullConfig, { store, clock, events: jobEvents, logger, logs: jobLogSink(logs) }),
    dataDir,
    pkgDir: join(dataDir, "pkgs"),
    async dispose() {
      await logs.shutdown();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
