/**
 * The container engine: anything speaking the Docker Engine API — Docker's
 * socket or Podman's `podman system service` — reached through dockerode.
 */
import Docker from "dockerode";

/** Soft and hard limits for one resource. */
export interface Ulimit {
  readonly soft: number;
  readonly hard: number;
}

/** How to reach the engine and what every container gets. */
export interface EngineOptions {
  /** `unix:///path`, a plain socket path, or `tcp://host:port` / `http://host:port`. */
  readonly socket: string;
  /**
   * Passed in every container's HostConfig. Both are always sent: the engine
   * replaces its defaults with the list, so sending one lets the other jump
   * above a sandbox's hard limit and the start fails (Podman, notes §8).
   */
  readonly ulimits?: { readonly nofile: Ulimit; readonly nproc: Ulimit };
}

/** Limits that work under the hard limits of the machines this project is tested on. */
export const DEFAULT_ULIMITS = { nofile: { soft: 1024, hard: 1024 }, nproc: { soft: 1000, hard: 1000 } };

/** What the engine reports about itself. */
export interface EngineVersion {
  readonly name: string;
  readonly version: string;
  readonly apiVersion: string;
}

/** A connected container engine. */
export interface Engine {
  readonly docker: Docker;
  /** The HostConfig.Ulimits every container gets. */
  readonly ulimits: Docker.HostConfig["Ulimits"];
  /** Resolves when the engine answers `/_ping`. */
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  /**
   * Makes sure `image` is present: inspects first and pulls only when it is
   * absent (Podman fails to "pull" an image that exists locally but whose
   * registry is unreachable).
   */
  ensureImage(image: string): Promise<void>;
}

/** Connects to the engine at `options.socket` (no request is made until used). */
export function createEngine(options: EngineOptions): Engine {
  const docker = new Docker(dockerOptions(options.socket));
  const limits = options.ulimits ?? DEFAULT_ULIMITS;
  return {
    docker,
    ulimits: [
      { Name: "nofile", Soft: limits.nofile.soft, Hard: limits.nofile.hard },
      { Name: "nproc", Soft: limits.nproc.soft, Hard: limits.nproc.hard },
    ],
    async ping() {
      await docker.ping();
    },
    async version() {
      const v = await docker.version();
      const podman = v.Components?.some((c) => c.Name === "Podman Engine");
      return { name: podman ? "podman" : "docker", version: v.Version, apiVersion: v.ApiVersion };
    },
    async ensureImage(image) {
      try {
        await docker.getImage(image).inspect();
        return;
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
      }
      const stream = await docker.pull(image);
      // A failed pull is an HTTP 200 whose progress stream carries the error.
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
          const failure = err?.message ?? events.find((e) => e.error)?.error;
          if (failure) reject(new Error(`pulling ${image} failed: ${failure}`));
          else resolve();
        });
      });
    },
  };
}

/** The HTTP status of a dockerode error, if it has one. */
export function statusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

function dockerOptions(socket: string): Docker.DockerOptions {
  if (socket.startsWith("unix://")) return { socketPath: socket.slice("unix://".length) };
  if (socket.startsWith("/")) return { socketPath: socket };
  const url = new URL(socket.replace(/^tcp:/, "http:"));
  return { protocol: url.protocol === "https:" ? "https" : "http", host: url.hostname, port: Number(url.port || 2375) };
}
