/**
 * One container from creation to removal, with its output as live lines.
 * Output comes from an attach made before start: following the logs loses
 * lines on Podman (notes §8), an early attach does not.
 */
import type Docker from "dockerode";
import { PassThrough } from "node:stream";
import { Header, type HeaderData } from "tar";
import { type Engine, statusCode } from "./engine.js";
import { LineSplitter, type LogStream } from "./log-lines.js";

/** A file put into the container before it starts. */
export interface ContainerFile {
  /** Absolute path; its parent directories are created (mode 755). */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/** What to run and with which limits. */
export interface ContainerSpec {
  readonly image: string;
  readonly cmd: string[];
  readonly labels: Record<string, string>;
  readonly user?: string;
  readonly workingDir?: string;
  readonly env?: string[];
  /** Docker NetworkMode: `bridge` (default), `host`, `none`, or a network name. */
  readonly network?: string;
  readonly memoryBytes?: number;
  /** CPU limit in units of 1e-9 CPUs (Docker's NanoCpus). */
  readonly nanoCpus?: number;
  readonly files?: ContainerFile[];
}

/** A started container. */
export interface RunningContainer {
  readonly container: Docker.Container;
  /** Resolves with the exit code once the container stopped and its output was read. */
  readonly exited: Promise<number>;
  /** Kills it; a container that already stopped is not an error. */
  kill(): Promise<void>;
  /** Removes it (forced); one that is already gone is not an error. */
  remove(): Promise<void>;
}

/** Label saying what a container is for (`build`, `prepare`); also on builder images. */
export const ROLE_LABEL = "org.vieter.role";

// After the container stopped, how long to wait for the last output to arrive.
const DRAIN_MS = 5_000;

/** Creates and starts a container; `onLine` gets its output line by line. Nothing is left behind if starting fails. */
export async function startContainer(
  engine: Engine,
  spec: ContainerSpec,
  onLine: (stream: LogStream, text: string) => void,
): Promise<RunningContainer> {
  const container = await engine.docker.createContainer({
    Image: spec.image,
    Cmd: spec.cmd,
    Labels: spec.labels,
    User: spec.user ?? "",
    WorkingDir: spec.workingDir ?? "",
    Env: spec.env ?? [],
    Tty: false,
    HostConfig: {
      NetworkMode: spec.network ?? "bridge",
      Ulimits: engine.ulimits,
      ...(spec.memoryBytes ? { Memory: spec.memoryBytes } : {}),
      ...(spec.nanoCpus ? { NanoCpus: spec.nanoCpus } : {}),
    },
  });
  const remove = () => ignoreStatus(container.remove({ force: true, v: true }), 404);
  try {
    if (spec.files?.length) await container.putArchive(tarOf(spec.files), { path: "/" });
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const drained = splitOutput(container, stream, onLine);
    await container.start();
    const exited = container.wait().then(async (status: { StatusCode: number }) => {
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
      return status.StatusCode;
    });
    // Awaited by the caller; this only keeps an engine failure after an early return from crashing the process.
    exited.catch(() => {});
    return { container, exited, kill: () => ignoreStatus(container.kill(), 404, 409, 304), remove };
  } catch (err) {
    await remove().catch(() => {});
    throw err;
  }
}

function splitOutput(
  container: Docker.Container,
  stream: NodeJS.ReadableStream,
  onLine: (stream: LogStream, text: string) => void,
): Promise<void> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = new LineSplitter((text) => onLine("stdout", text));
  const err = new LineSplitter((text) => onLine("stderr", text));
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  return new Promise((resolve) => {
    const done = () => {
      out.end();
      err.end();
      resolve();
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}

async function ignoreStatus(call: Promise<unknown>, ...codes: number[]): Promise<void> {
  try {
    await call;
  } catch (err) {
    const code = statusCode(err);
    if (code === undefined || !codes.includes(code)) throw err;
  }
}

/** An uncompressed tar of `files` and their parent directories, owned by root. */
function tarOf(files: ContainerFile[]): Buffer {
  const blocks: Buffer[] = [];
  const dirs = new Set<string>();
  const mtime = new Date();
  for (const file of files) {
    const parts = file.path.replace(/^\/+/, "").split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join("/")}/`;
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      blocks.push(header({ path: dir, type: "Directory", mode: 0o755, size: 0, mtime }));
    }
    const body = Buffer.from(file.content, "utf8");
    blocks.push(header({ path: parts.join("/"), type: "File", mode: file.mode, size: body.length, mtime }));
    blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function header(data: HeaderData): Buffer {
  const h = new Header({ uid: 0, gid: 0, ...data });
  h.encode();
  return h.block!;
}

/**
 * Force-removes the build containers carrying `label` (`key=value`), e.g.
 * those an agent killed with -9 left behind: call it when the agent starts,
 * with a label it puts on every build (BuildRequest.labels). Then removes the
 * stage images (sources committed for the network-less build step) with that
 * label. Returns the containers' and images' ids.
 */
export async function removeBuildContainers(engine: Engine, label: string): Promise<string[]> {
  // One label in the filter (Podman 4.3 answers nothing for two); the role is checked here.
  const found = await engine.docker.listContainers({ all: true, filters: { label: [label] } });
  const builds = found.filter((c) => c.Labels?.[ROLE_LABEL] === "build");
  for (const c of builds) await ignoreStatus(engine.docker.getContainer(c.Id).remove({ force: true, v: true }), 404);
  const images = await engine.docker.listImages({ filters: { label: [label] } });
  const stages = images.filter((i) => i.Labels?.[ROLE_LABEL] === "build");
  for (const i of stages) await removeImage(engine, i.Id);
  return [...builds.map((c) => c.Id), ...stages.map((i) => i.Id)];
}

/** Force-removes an image; one that is already gone is not an error. */
export function removeImage(engine: Engine, id: string): Promise<void> {
  return ignoreStatus(engine.docker.getImage(id).remove({ force: true }), 404);
}
