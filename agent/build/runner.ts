/**
 * Runs one build: a builder image, the build script in containers, live
 * output, a timeout, cancellation, the packages copied out. With isolation
 * (the default) the steps up to the version check run in one container with
 * the network; it is committed to a stage image and the build step runs in a
 * second container from it with no network, so a PKGBUILD's build() and
 * package() cannot reach anything. Every container and the stage image are
 * removed on every path before the result is returned. Publishing is not done
 * here: the agent publishes `packages` with its own credential.
 */
import { checkBuildSpec, type BuildSpec } from "./build-spec.js";
import type { BuilderImageLease, BuilderImages } from "./builder-image.js";
import { removeImage, startContainer, type RunningContainer } from "./container.js";
import { copyPackagesOut } from "./copy-out.js";
import type { Engine } from "./engine.js";
import { LastLines, type LogLine, type LogStream } from "./log-lines.js";
import { BuilderImageError, LABELS } from "./prepare-image.js";
import { createBuildScript, OUT_DIR, SCRIPT_PATH, type ScriptStage } from "./script.js";
import { type BuildResult, type Ending, summary } from "./result.js";
import { EXIT_SKIPPED, MARKER, StepTracker } from "./steps.js";

/** One build to run. */
export interface BuildRequest {
  readonly spec: BuildSpec;
  /** The base image the builder image is prepared from (e.g. `archlinux:base-devel`). */
  readonly baseImage: string;
  /** Host directory the packages are copied into (created). */
  readonly outDir: string;
  /** The container is killed after this long (the job becomes `timed_out`). */
  readonly timeoutMs: number;
  /** Docker NetworkMode up to the version check; default `bridge`, so sources and the server are reachable. */
  readonly network?: string;
  /**
   * Run the build step in a second container without network (default true).
   * Off, every step runs in one container on `network`, for PKGBUILDs whose build() needs it.
   */
  readonly isolateBuild?: boolean;
  readonly memoryBytes?: number;
  readonly nanoCpus?: number;
  /** Extra container labels, e.g. the job id, to find the container again. */
  readonly labels?: Record<string, string>;
}

/** Live output and cancellation. */
export interface BuildHooks {
  readonly onLine?: (line: LogLine) => void;
  /** Aborting kills the container; the result is `cancelled`. */
  readonly signal?: AbortSignal;
}

/** Runs `request` on `engine` with a builder image from `images`. Never throws: every failure is a result. */
export async function runBuild(
  deps: { readonly engine: Engine; readonly images: BuilderImages },
  request: BuildRequest,
  hooks: BuildHooks = {},
): Promise<BuildResult> {
  const startedAt = new Date();
  const last = new LastLines();
  // Replaced for the isolated build container, which prints only the build step's marker.
  let steps = new StepTracker();
  const emit = (stream: LogStream, text: string) => {
    last.add(text);
    if (stream !== "agent") steps.observe(text);
    try {
      hooks.onLine?.({ stream, text, at: new Date() });
    } catch {
      // A failing log consumer must not take the build down.
    }
  };
  const say = (text: string) => emit("agent", `${MARKER} ${text}`);
  const end = (result: Ending): BuildResult => {
    const message = summary(result);
    say(message);
    return { packages: [], ...result, message, lastLines: last.lines, startedAt, endedAt: new Date() };
  };
  const { signal } = hooks;
  if (signal?.aborted) return end({ outcome: "cancelled" });
  try {
    checkBuildSpec(request.spec);
  } catch (err) {
    say(`the target cannot be built: ${(err as Error).message}`);
    return end({ outcome: "failed", failedStep: "fetch" });
  }

  let lease: BuilderImageLease;
  try {
    lease = await untilAborted(deps.images.acquire(request.baseImage), signal);
  } catch (err) {
    if (signal?.aborted) return end({ outcome: "cancelled" });
    if (!(err instanceof BuilderImageError)) say(`container engine error: ${(err as Error).message}`);
    else for (const line of [...err.lastLines, err.message]) say(line);
    return end({ outcome: "failed", failedStep: err instanceof BuilderImageError ? "image" : "infrastructure" });
  }
  let run: RunningContainer | undefined;
  let stageImage: string | undefined;
  let stopped: "timeout" | "cancel" | undefined;
  const stop = (why: "timeout" | "cancel") => {
    stopped ??= why;
    void run?.kill().catch(() => {});
  };
  const onAbort = () => stop("cancel");
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => stop("timeout"), request.timeoutMs);
  try {
    if (signal?.aborted) return end({ outcome: "cancelled" });
    const { image } = lease;
    say(`building in ${image.name} (from ${image.baseImage})`);
    const isolate = request.isolateBuild ?? true;
    const script = createBuildScript(request.spec, { upgrade: image.pacmanSync, syncDeps: image.pacmanSync });
    const labels = { ...request.labels, [LABELS.role]: "build" };
    const start = async (stage: ScriptStage, from: string, network: string | undefined) => {
      run = await startContainer(
        deps.engine,
        {
          image: from,
          cmd: ["/bin/bash", SCRIPT_PATH, stage],
          user: "root",
          workingDir: "/",
          labels,
          network,
          memoryBytes: request.memoryBytes,
          nanoCpus: request.nanoCpus,
          ...(stage === "build" ? {} : { files: [{ path: SCRIPT_PATH, content: script, mode: 0o755 }] }),
        },
        emit,
      );
      if (stopped) void run.kill().catch(() => {});
      return run.exited;
    };
    // One ending for both containers: the deadline and a cancel cover the whole build.
    const ending = (exitCode: number | undefined): Ending | undefined => {
      const code = exitCode === undefined ? {} : { exitCode };
      if (stopped === "cancel") return { outcome: "cancelled", ...code };
      if (stopped === "timeout") {
        say(`killed after the timeout of ${Math.round(request.timeoutMs / 1000)} s`);
        return { outcome: "timed_out", ...code, failedStep: "timeout" };
      }
      if (exitCode === undefined) return undefined;
      if (exitCode === EXIT_SKIPPED) return { outcome: "skipped", exitCode, skipReason: steps.skipReason };
      if (exitCode !== 0) return { outcome: "failed", exitCode, failedStep: steps.failureStep() };
      return undefined;
    };
    let exitCode = await start(isolate ? "sources" : "all", image.id, request.network);
    const early = ending(exitCode);
    if (early) return end(early);
    if (isolate) {
      const sources = run!;
      stageImage = await commitStage(sources, labels);
      await sources.remove();
      const between = ending(undefined);
      if (between) return end(between);
      say("the build step runs without network");
      steps = new StepTracker("build");
      exitCode = await start("build", stageImage, "none");
      const late = ending(exitCode);
      if (late) return end(late);
    }
    const packages = await copyPackagesOut(run!.container, OUT_DIR, request.outDir);
    if (packages.length === 0) {
      say(`makepkg succeeded but left no package in ${OUT_DIR}`);
      return end({ outcome: "failed", exitCode, failedStep: "build" });
    }
    return end({ outcome: "succeeded", exitCode, packages });
  } catch (err) {
    // Engine errors are transient as far as we can tell (an image removed by another agent's
    // cleanup between acquire and create is a 404 here): the agent may retry.
    say(`container engine error: ${(err as Error).message}`);
    if (stopped === "cancel") return end({ outcome: "cancelled" });
    return end({ outcome: "failed", failedStep: "infrastructure" });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    await run?.remove().catch((err: unknown) => say(`could not remove the container: ${(err as Error).message}`));
    if (stageImage) {
      await removeImage(deps.engine, stageImage).catch((err: unknown) =>
        say(`could not remove the stage image: ${(err as Error).message}`),
      );
    }
    lease.release();
  }
}

/**
 * Commits the stopped sources container to an image for the build step. Its
 * role label is overridden (it would inherit `builder-image` from its parent,
 * and the image cleanup must not take it for one); the build's own labels let
 * removeBuildContainers find it after a killed agent.
 */
async function commitStage(sources: RunningContainer, labels: Record<string, string>): Promise<string> {
  const changes = Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`);
  const { Id } = (await sources.container.commit({ changes })) as { Id: string };
  return Id.replace(/^sha256:/, "");
}

/** `promise`, or a rejection as soon as `signal` aborts; a lease that arrives after that is released. */
function untilAborted(
  promise: Promise<BuilderImageLease>,
  signal: AbortSignal | undefined,
): Promise<BuilderImageLease> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void promise.then((lease) => lease.release()).catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
