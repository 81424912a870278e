/**
 * Everything a container test file needs, set up in beforeAll and torn down
 * in afterAll: the engine and base image, a BuilderImages of the file's own
 * (its images are removed at the end), a temp dir, and `build()` to run one
 * build with host networking and collect its log.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { BuildSpec } from "../build-spec.js";
import { BuilderImages } from "../builder-image.js";
import type { Engine } from "../engine.js";
import type { LogLine } from "../log-lines.js";
import type { BuildResult } from "../result.js";
import { type BuildHooks, type BuildRequest, runBuild } from "../runner.js";
import { engineSetup, removeTestLeftovers } from "./engine-setup.js";

/** A build's result and every log line it produced. */
export interface TestBuild {
  readonly result: BuildResult;
  readonly lines: LogLine[];
  /** The log as text, one line each. */
  readonly log: string;
}

/** The test file's environment (fields are set once beforeAll ran). */
export interface BuildEnv {
  engine: Engine;
  baseImage: string;
  images: BuilderImages;
  dir: string;
  /** Runs a build of `spec` (host network, 120 s timeout unless overridden). */
  build(spec: BuildSpec, request?: Partial<BuildRequest>, hooks?: BuildHooks): Promise<TestBuild>;
  /** Containers of this file still present (should always be none after a build). */
  containers(): Promise<string[]>;
  /** Stage images (sources committed for the build step) of this file still present (should be none). */
  stageImages(): Promise<string[]>;
}

/** Registers the hooks; `owner` keeps this file's builder images apart from other files'. */
export function useBuildEnv(owner: string): BuildEnv {
  let builds = 0;
  const label = `org.vieter.test=${owner}`;
  const env = {
    async build(spec, request = {}, hooks = {}) {
      const lines: LogLine[] = [];
      const result = await runBuild(
        { engine: env.engine, images: env.images },
        {
          spec,
          baseImage: env.baseImage,
          outDir: join(env.dir, `out-${++builds}`),
          timeoutMs: 120_000,
          network: "host",
          labels: { "org.vieter.test": owner },
          ...request,
        },
        {
          ...hooks,
          onLine(line) {
            lines.push(line);
            hooks.onLine?.(line);
          },
        },
      );
      return { result, lines, log: lines.map((l) => l.text).join("\n") };
    },
    async containers() {
      const list = await env.engine.docker.listContainers({ all: true, filters: { label: [label] } });
      return list.map((c) => c.Id);
    },
    async stageImages() {
      const list = await env.engine.docker.listImages({ filters: { label: [label] } });
      return list.map((i) => i.Id);
    },
  } as BuildEnv;

  async function removeOwnedContainers(): Promise<void> {
    const left = await env.engine.docker.listContainers({ all: true, filters: { label: [label] } });
    for (const c of left) await env.engine.docker.getContainer(c.Id).remove({ force: true });
  }

  beforeAll(async () => {
    const setup = await engineSetup();
    env.engine = setup.engine;
    env.baseImage = setup.baseImage;
    env.images = new BuilderImages(setup.engine, { owner });
    env.dir = await mkdtemp(join(tmpdir(), `vieter-${owner}-`));
    // A run killed before its afterAll leaves containers with this owner's label; the
    // "container is gone" assertions must only see this run's.
    await removeOwnedContainers();
    // Prepared once here so each test's time is the build's own.
    (await env.images.acquire(env.baseImage)).release();
  }, 15 * 60_000);

  afterAll(async () => {
    if (!env.engine) return;
    await removeOwnedContainers();
    await removeTestLeftovers(env.engine, owner);
    await rm(env.dir, { recursive: true, force: true });
  });
  return env;
}
