/**
 * The server as an object: `createServer` wires configuration, database,
 * auth, the Connect services and the plain HTTP routes onto one port;
 * `main.ts` only adds the process around it.
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { loadOrCreateApiKey } from "./auth/api-key-file.js";
import { type Authenticator, createAuthenticator } from "./auth/authenticator.js";
import { type Clock, systemClock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { AppContext } from "./context.js";
import { healthRoute } from "./http/health.js";
import { apiNotFoundRoute, logRoutes } from "./http/log-routes.js";
import { repoRoutes } from "./http/repo-routes.js";
import { createPlainRouter, isPacmanDownload, isPublish } from "./http/router.js";
import { createAgentHub } from "./agents/create.js";
import { createJobEvents } from "./jobs/index.js";
import { createLogger } from "./logger.js";
import { createLogFinalizer, createLogRetention, createLogs, jobLogSink } from "./logs/index.js";
import type { KeepaliveOptions } from "./net/keepalive.js";
import { type Listener, listen } from "./net/listener.js";
import { loadSocketFileSender } from "./net/sendfile.js";
import { createInterceptors, createRoutes } from "./rpc/index.js";
import { createRepository } from "./repo/create.js";
import { createScheduler } from "./scheduler/index.js";
import { type Store, openStore } from "./store/orm.js";

/** Parts a test or an embedding may supply instead of the defaults. */
export interface ServerOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly authenticator?: Authenticator;
  /** HTTP/2 PING settings; server/net/keepalive.ts has the default. */
  readonly keepalive?: KeepaliveOptions;
}

/** A created server: listen once, close once. */
export interface VieterServer {
  readonly context: AppContext;
  /** Where the API key lives when it was generated, else undefined. */
  readonly apiKeyFile: string | undefined;
  /** Starts the scheduler (reconcile + first pass), then serving; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, lets calls finish within shutdown_timeout, stops the scheduler, closes the database. */
  close(): Promise<void>;
}

/** Prepares the data folder, database and services; does not listen yet. */
export async function createServer(config: ServerConfig, overrides: ServerOverrides = {}): Promise<VieterServer> {
  const logger = overrides.logger ?? createLogger(config.log_level);
  const dataDir = resolve(config.data_dir);
  const pkgDir = resolve(config.pkg_dir || join(dataDir, "pkgs"));
  await mkdir(dataDir, { recursive: true });
  await mkdir(pkgDir, { recursive: true });

  let apiKey = config.api_key;
  let apiKeyFile: string | undefined;
  if (apiKey === "") {
    const stored = loadOrCreateApiKey(dataDir);
    apiKey = stored.key;
    apiKeyFile = stored.path;
    if (stored.created)
      logger.warn({ path: stored.path }, `no api_key configured: generated one and stored it in ${stored.path}`);
    else logger.info({ path: stored.path }, `using the API key stored in ${stored.path}`);
  }

  const store: Store = await openStore({ dbPath: join(dataDir, "vieter.sqlite"), logger });
  const clock = overrides.clock ?? systemClock;
  const sender = config.sendfile ? loadSocketFileSender() : undefined;
  if (config.sendfile && !sender)
    logger.warn("the native sendfile addon is not built: serving files through Node's streams");
  const repository = createRepository(config, store, pkgDir, clock, logger);
  await repository.recover();
  const jobEvents = createJobEvents();
  const logs = await createLogs({ store, clock, logger, jobEvents, dataDir });
  const context: AppContext = {
    config,
    logger,
    store,
    clock,
    authenticator: overrides.authenticator ?? createAuthenticator({ apiKey, agentTokens: config.agent_tokens }),
    jobEvents,
    agents: createAgentHub(config, { store, clock, events: jobEvents, logger, logs: jobLogSink(logs) }),
    dataDir,
    pkgDir,
    repository,
    logs,
  };

  const plain = createPlainRouter(
    [healthRoute, ...logRoutes(logs), apiNotFoundRoute, ...repoRoutes(repository, config.max_upload_size, sender)],
    context.authenticator,
    logger,
  );
  const rpc = connectNodeAdapter({
    routes: createRoutes(context),
    interceptors: createInterceptors(context),
    fallback: plain,
  });
  // pacman's downloads and publishes skip the RPC route lookup: no RPC has those path shapes.
  const handler: typeof rpc = (req, res) => (isPacmanDownload(req) || isPublish(req) ? plain(req, res) : rpc(req, res));

  const settings = { globalSchedule: config.global_schedule, timeZone: config.time_zone };
  const scheduler = createScheduler({ store, clock, events: context.jobEvents, settings, logger });
  const logFinalizer = createLogFinalizer({ logs, store, jobEvents, logger });
  const retentionSettings = {
    maxLogAgeDays: config.max_log_age,
    schedule: config.log_removal_schedule,
    timeZone: config.time_zone,
  };
  const logRetention = createLogRetention({ logs, clock, logger, settings: retentionSettings });

  let listener: Listener | undefined;
  let warming: Promise<void> | undefined;
  return {
    context,
    apiKeyFile,
    async listen() {
      if (listener) throw new Error("server is already listening");
      const tls =
        config.tls_cert_file !== ""
          ? { cert: readFileSync(config.tls_cert_file), key: readFileSync(config.tls_key_file) }
          : undefined;
      await scheduler.start();
      await logFinalizer.start();
      // The first removal runs beside serving: a large backlog must not delay start-up.
      void logRetention.start().catch((err: unknown) => logger.error({ err }, "removing old build logs failed"));
      context.agents.start();
      listener = await listen(handler, config.port, config.host, tls, overrides.keepalive);
      logger.info({ port: listener.port, tls: tls !== undefined }, `listening on port ${listener.port}`);
      // Beside serving, not before it: a 10,000-package view takes a while, and a request
      // that arrives meanwhile shares the load in progress rather than starting its own.
      warming = repository
        .warmViews()
        .then((count) => logger.debug({ count }, "arch-repo views loaded"))
        .catch((err: unknown) => logger.error({ err }, "loading the arch-repo views failed"));
      return listener.port;
    },
    async close() {
      context.agents.stop();
      await listener?.close(config.shutdown_timeout * 1000);
      // Agent messages and dispatch under way still write to the database.
      await context.agents.idle();
      await scheduler.stop();
      await logRetention.stop();
      await logFinalizer.stop();
      await logs.shutdown();
      await warming;
      await repository.close();
      await store.close();
      logger.info("server stopped");
    },
  };
}
