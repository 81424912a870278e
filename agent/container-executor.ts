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

/** An executor for `config` (engine socket, image rebuild frequency, network, data folder). */
export async function createContainerExecutor(config: AgentConfig): Promise<BuildExecutor> {
  const engine = createEngine({ socket: config.docker_socket });
  const images = new BuilderImages(engine, {
    rebuildAfterMinutes: config.image_rebuild_frequency,
    network: config.build_network,
  });
  const buildsDir = resolve(config.data_dir, "builds");
  await mkdir(buildsDir, { recursive: true });
  // Containers are labelled with the agent's data folder: a restarted agent
  // removes what a killed one left, and never another agent's.
  const owner = `vieter.agent=${buildsDir}`;
  await removeBuildContainers(engine, owner);
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
