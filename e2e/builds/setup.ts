/**
 * The whole build chain for system tests, set up in beforeAll and torn down
 * in afterAll: Podman's Docker API and the Debian base image (as the agent's
 * container tests get them: no engine fails the test with the reason), a real
 * in-process server with agent tokens, git repositories served over smart
 * HTTP, a gate builds can wait at, and real agents with the real container
 * executor. Build containers use host networking, so the server, the git
 * server and the gate are all reached at 127.0.0.1.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe } from "vitest";
import type { BuildAgent } from "../../agent/agent.js";
import { loadAgentConfig } from "../../agent/config.js";
import { agentFor } from "../../agent/main.js";
import { buildContainerLabel, createContainerExecutor } from "../../agent/container-executor.js";
import type { Engine } from "../../agent/build/engine.js";
import { engineSetup, engineSkipReason, removeTestLeftovers } from "../../agent/build/testing/engine-setup.js";
import { type PkgbuildOptions, gitRepo, pkgbuild } from "../../agent/build/testing/fixtures.js";
import { type TestServer as GitServer, startGitServer } from "../../agent/build/testing/http-server.js";
import type { ServerConfig } from "../../server/config.js";
import { type TestServer, startTestServer } from "../setup/server.js";
import { type BuildsClient, createBuildsClient } from "./client.js";
import { type Gate, startGate } from "./gate.js";

/** An agent running in this process. */
export interface RunningAgent {
  readonly agent: BuildAgent;
  readonly dataDir: string;
  /** Stops it (its running builds are cancelled) and waits until its loop ended. */
  stop(): Promise<void>;
}

/** Everything a test file of e2e/builds uses (fields are set once beforeAll ran). */
export interface BuildSystem {
  server: TestServer;
  client: BuildsClient;
  engine: Engine;
  socket: string;
  baseImage: string;
  dir: string;
  git: GitServer;
  gate: Gate;
  /** Agent names and their tokens, as the server knows them. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The owner label of this file's builder images. */
  readonly imageOwner: string;
  /** Starts an in-process agent `name`; its data folder is `dataDir` or a new one. */
  startAgent(name: string, dataDir?: string): Promise<RunningAgent>;
  /** The env (VIETER_*) a `vieter agent` process needs to run as `name`. */
  agentEnv(name: string, dataDir: string): Record<string, string>;
  /** A git repository holding `PKGBUILD` in its main branch; returns the URL to clone. */
  gitTarget(name: string, options: PkgbuildOptions): string;
  /** Ids of the build containers of the agent with data folder `dataDir`. */
  agentContainers(dataDir: string): Promise<string[]>;
  /** Stops the server; `startServer` starts a new one on the same port and data folder. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
}

const skip = engineSkipReason();

/**
 * A describe block for build tests. As the agent's container tests: skipped,
 * with the reason in its title, only on a machine that cannot have Podman at
 * all; anywhere else a missing engine or image fails every test with the reason.
 */
export function describeBuilds(title: string, tests: () => void): void {
  // Builds take 5-15 s each and a test may run several, on a machine busy with the rest of the suite.
  describe.skipIf(skip)(`${title}${skip ? `: ${skip}` : ""}`, { timeout: 5 * 60_000 }, tests);
}

/**
 * Registers the hooks (call it inside describeBuilds) for a file named `name`;
 * `server` adds server settings, `agentEnv` the agents' (VIETER_*) settings.
 */
export function useBuildSystem(
  name: string,
  server: Partial<ServerConfig> = {},
  agentEnv: Record<string, string> = {},
): BuildSystem {
  const agents: RunningAgent[] = [];
  const tokens = { alpha: `${name}-alpha-token-0123456789`, beta: `${name}-beta-token-0123456789` };
  const imageOwner = `e2e-builds-${name}`;
  let serverConfig: Partial<ServerConfig> = {};

  // The remaining fields are set in beforeAll.
  const sys = { tokens, imageOwner } as Partial<BuildSystem> as BuildSystem;
  sys.agentEnv = (agentName, dataDir) => ({
    VIETER_ADDRESS: sys.server.baseUrl,
    VIETER_AGENT_TOKEN: tokens[agentName as keyof typeof tokens],
    VIETER_ARCH: "x86_64",
    VIETER_DATA_DIR: dataDir,
    VIETER_DOCKER_SOCKET: sys.socket,
    VIETER_BUILD_NETWORK: "host",
    VIETER_LOG_LEVEL: "WARN",
    ...agentEnv,
  });
  sys.startAgent = async (agentName, dataDir) => {
    const dir = dataDir ?? (await mkdtemp(join(sys.dir, `agent-${agentName}-`)));
    const config = loadAgentConfig(undefined, false, sys.agentEnv(agentName, dir));
    const agent = agentFor(config, {
      version: "e2e",
      executor: await createContainerExecutor(config, { imageOwner }),
      logger: pino({ level: "silent" }),
      backoff: { initialMs: 100, maxMs: 1000 },
    });
    const controller = new AbortController();
    const running = agent.run(controller.signal);
    const handle: RunningAgent = {
      agent,
      dataDir: dir,
      async stop() {
        controller.abort();
        await running;
      },
    };
    agents.push(handle);
    return handle;
  };
  sys.gitTarget = (repoName, options) => {
    gitRepo(sys.dir, repoName, { PKGBUILD: pkgbuild(options) });
    return `${sys.git.url}/${repoName}.git`;
  };
  sys.agentContainers = async (dataDir) => {
    const list = await sys.engine.docker.listContainers({
      all: true,
      filters: { label: [buildContainerLabel(dataDir)] },
    });
    return list.map((c) => c.Id);
  };
  let stopped: TestServer | undefined;
  sys.stopServer = async () => {
    await sys.server.stop();
    stopped = sys.server;
  };
  sys.startServer = async () => {
    const { port, dataDir } = stopped!;
    sys.server = await startTestServer({ ...serverConfig, port, data_dir: dataDir });
    stopped = undefined;
  };

  beforeAll(async () => {
    const setup = await engineSetup();
    sys.engine = setup.engine;
    sys.socket = setup.socket;
    sys.baseImage = setup.baseImage;
    sys.dir = await mkdtemp(join(tmpdir(), `vieter-e2e-builds-${name}-`));
    serverConfig = {
      agent_tokens: new Map(Object.entries(tokens)),
      base_image: setup.baseImage,
      ...server,
    };
    sys.server = await startTestServer({ ...serverConfig, data_dir: join(sys.dir, "server") });
    sys.client = createBuildsClient(() => sys.server);
    sys.git = await startGitServer(sys.dir);
    sys.gate = await startGate();
  }, 15 * 60_000);

  afterAll(async () => {
    const started = agents.splice(0);
    for (const a of started) await a.stop();
    if (sys.engine) {
      for (const a of started) for (const id of await sys.agentContainers(a.dataDir)) await removeContainer(sys, id);
      await removeTestLeftovers(sys.engine, imageOwner);
    }
    await sys.gate?.close();
    await sys.git?.close();
    if (!stopped) await sys.server?.stop();
    if (sys.dir) await rm(sys.dir, { recursive: true, force: true });
  });
  return sys;
}

async function removeContainer(sys: BuildSystem, id: string): Promise<void> {
  await sys.engine.docker
    .getContainer(id)
    .remove({ force: true })
    .catch(() => {});
}
