/**
 * The world of the CLI tests that need jobs: a real server that knows the
 * fake agent's token, a `vieter` runner bound to it, the fake agent, and git
 * targets added through the CLI. Registers its own beforeAll/afterAll.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { type TestServer, startTestServer } from "../../setup/server.js";
import { FAKE_AGENT, type FakeAgent, startFakeAgent } from "./fake-agent.js";
import { type CliRunner, createCliRunner, rawRows } from "./run-cli.js";

/** What the tests use; set once beforeAll has run. */
export interface FakeBuilds {
  readonly srv: TestServer;
  readonly cli: CliRunner;
  readonly agent: FakeAgent;
}

/**
 * Starts everything before the file's tests and stops it after. Each entry
 * of `targets` adds a target `https://example.com/<first>.git` in `repo`
 * with the rest as extra arguments (ids 1, 2, … in order); the fake agent
 * decides by that name how a build ends (see fake-agent.ts).
 */
export function useFakeBuilds(repo = "cli", targets: readonly (readonly string[])[] = []): FakeBuilds {
  const world: { -readonly [K in keyof FakeBuilds]?: FakeBuilds[K] } = {};
  beforeAll(async () => {
    world.srv = await startTestServer({ agent_tokens: new Map([[FAKE_AGENT.name, FAKE_AGENT.token]]) });
    world.cli = await createCliRunner(world.srv);
    world.agent = startFakeAgent(world.srv.baseUrl);
    for (const [name, ...args] of targets) {
      const added = await world.cli.run(["targets", "add", `https://example.com/${name}.git`, repo, ...args]);
      expect(added.code).toBe(0);
    }
  });
  afterAll(async () => {
    world.agent?.stop();
    await world.srv?.stop();
    await world.cli?.cleanup();
  });
  return {
    get srv() {
      return present(world.srv);
    },
    get cli() {
      return present(world.cli);
    },
    get agent() {
      return present(world.agent);
    },
  };
}

/** Queues a manual build of `target` with `vieter targets build`; returns the job id. */
export async function queueBuild(cli: CliRunner, target: number): Promise<number> {
  const res = await cli.run(["targets", "build", String(target), "-r"]);
  expect(res.code).toBe(0);
  return Number(rawRows(res.stdout)[0]![0]);
}

function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("useFakeBuilds: used before its beforeAll ran");
  return value;
}
