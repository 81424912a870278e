/**
 * `vieter agent`: reads the configuration and runs the agent until SIGINT or
 * SIGTERM. Builds run in containers through the Docker Engine API.
 */
import type { Transport } from "@connectrpc/connect";
import { type Http2SessionOptions, createGrpcTransport } from "@connectrpc/connect-node";
import { destination, pino } from "pino";
import { AGENT_KEEPALIVE } from "../lib/agent-protocol.js";
import { ConfigError } from "../lib/config.js";
import { type AgentOptions, BuildAgent } from "./agent.js";
import { type AgentConfig, loadAgentConfig } from "./config.js";
import type { BuildExecutor } from "./executor.js";

/** Builds the executor for a configuration (containers, in agent/build). */
export type ExecutorFactory = (config: AgentConfig) => Promise<BuildExecutor>;

/** HTTP/2 PING settings of the agent's connection. */
export type AgentKeepalive = Pick<Http2SessionOptions, "pingIntervalMs" | "pingTimeoutMs">;

/** What an agent needs beyond its configuration. */
export type AgentExtras = Pick<AgentOptions, "version" | "executor" | "logger" | "backoff"> & {
  /** AGENT_KEEPALIVE unless a test needs it faster. */
  readonly keepalive?: AgentKeepalive;
};

/** The agent's transport to `address`: gRPC over HTTP/2, pinging the server (lib/agent-protocol.ts, 8). */
export function agentTransport(address: string, keepalive: AgentKeepalive = AGENT_KEEPALIVE): Transport {
  return createGrpcTransport({ baseUrl: address, ...keepalive });
}

/** The agent a configuration describes: its server, token, arches and slots, over gRPC. */
export function agentFor(config: AgentConfig, extras: AgentExtras): BuildAgent {
  const { keepalive, ...rest } = extras;
  return new BuildAgent({
    address: config.address,
    token: config.agent_token,
    transport: agentTransport(config.address, keepalive),
    arches: config.arch,
    capacity: config.max_concurrent_builds,
    ...rest,
  });
}

/** Runs the agent until a signal arrives; returns the exit code. */
export async function runAgent(
  configFile: string | undefined,
  fileRequired: boolean,
  createExecutor: ExecutorFactory,
): Promise<number> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig(configFile, fileRequired);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const logger = pino({ name: "vieter-agent", level: config.log_level.toLowerCase() }, destination(2));
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, "stopping: running builds are cancelled");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const agent = agentFor(config, {
    version: process.env.npm_package_version ?? "0.7.0",
    executor: await createExecutor(config),
    logger,
  });
  process.stderr.write(`vieter: agent for ${config.arch.join(", ")} connecting to ${config.address}\n`);
  await agent.run(controller.signal);
  return 0;
}
