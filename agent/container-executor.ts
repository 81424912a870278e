/**
 * The real BuildExecutor: each job builds in its own container through the
 * Docker Engine API (agent/build), its packages copied out into the agent's
 * data folder for publishing.
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BuilderImages, createEngine, removeBuildContainers, runBuild } from "./build/index.js";
import type { AgentConfig } from "./config.js";
import type { BuildExecutor, BuildStep } from "./executor.js";

/** Choices beyond the configuration, for tests and embeddings. */
export interface ContainerExecutorOptions {
  /** Owner label of the builder images (BuilderImagesOptions.owner); default: shared by all agents. */
  readonly imageOwner?: string;
}

/**
 * The label (`key=value`) on every build container of the agent whose data
 * folder is `dataDir`: containers are labelled with the agent's data folder,
 * so a restarted agent removes what a killed one left, and never another agent's.
 */
export function buildContainerLabel(dataDir: string): string {
  return `vieter.agent=${resolve(dataDir, "builds")}`;
}

/** An executor for `config` (engine socket, image rebuild frequency, network, data folder). */
export async function createContainerExecutor(
  config: AgentConfig,
  options: ContainerExecutorOptions = {},
): Promise<BuildExecutor> {
  const engine = createEngine({ socket: config.docker_socket });
  const images = new BuilderImages(engine, {
    rebuildAfterMinutes: config.image_rebuild_frequency,
    network: config.build_network,
    ...(options.imageOwner ? { owner: options.imageOwner } : {}),
  });
  const buildsDir = resolve(config.data_dir, "builds");
  await mkdir(buildsDir, { recursive: true });
  await removeBuildContainers(engine, buildContainerLabel(config.data_dir));
  const serverUrl = config.repo_address || config.address;
  return async (req) => {
    const outDir = join(buildsDir, String(req.jobId));
    await rm(outDir, { recursive: true, force: true });
    const result = await runBuild(
      { engine, images },
      {
        spec: {
          kind: req.kind === "url" ? "url" : "git",
          url: req.url,
          branch: req.branch,
          path: req.path,
          repo: req.repo,
          serverUrl,
          force: req.force,
          arch: req.arch,
        },
        baseImage: req.baseImage,
        outDir,
        timeoutMs: req.timeoutSeconds * 1000,
        network: config.build_network,
        isolateBuild: config.build_network_isolation,
        ...(config.build_memory_limit > 0 ? { memoryBytes: config.build_memory_limit * 1024 * 1024 } : {}),
        ...(config.build_cpus > 0 ? { nanoCpus: Math.round(config.build_cpus * 1e9) } : {}),
        labels: { "vieter.job": String(req.jobId), "vieter.agent": buildsDir },
      },
      { signal: req.signal, onLine: (line) => req.onOutput(Buffer.from(`${line.text}\n`)) },
    );
    // Old builder images that no build uses any more.
    void images.cleanup().catch(() => undefined);
    return {
      outcome: result.outcome,
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      ...(result.failedStep ? { step: result.failedStep.replace("-", "_") as BuildStep } : {}),
      message: result.skipReason ?? result.message,
      lastLines: result.lastLines,
      packages: result.packages,
    };
  };
}
