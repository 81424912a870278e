/**
 * The agent's builder images, per base image: prepared on first use, rebuilt
 * when older than `image_rebuild_frequency`, old ones removed when unused.
 * Images are found again by their labels, so a restarted agent reuses them.
 */
import { type Engine, statusCode } from "./engine.js";
import type { LogLine } from "./log-lines.js";
import { type BuilderImage, BuilderImageError, LABELS, prepareBuilderImage } from "./prepare-image.js";

/** How builder images are kept. */
export interface BuilderImagesOptions {
  /** Minutes after which a builder image is rebuilt (Vieter's default: 1440). */
  readonly rebuildAfterMinutes?: number;
  /** Network of the prepare container (an Arch base downloads packages). */
  readonly network?: string;
  /** Kill a preparation that takes longer (default 30 minutes). */
  readonly prepareTimeoutMs?: number;
  /** Output of prepare containers, for the agent's own log. */
  readonly onLine?: (baseImage: string, line: LogLine) => void;
  readonly now?: () => Date;
  /**
   * Labels this agent's images, so agents sharing an engine never remove each
   * other's (default `default`: agents without an owner share their images).
   */
  readonly owner?: string;
}

/** The use of a builder image by one build; `release` once the build's container is gone. */
export interface BuilderImageLease {
  readonly image: BuilderImage;
  release(): void;
}

/** Builder images of one agent. One instance per engine. */
export class BuilderImages {
  readonly #current = new Map<string, BuilderImage>();
  readonly #preparing = new Map<string, Promise<BuilderImage>>();
  readonly #inUse = new Map<string, number>();
  readonly #now: () => Date;
  readonly #owner: string;

  constructor(
    readonly engine: Engine,
    readonly options: BuilderImagesOptions = {},
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#owner = options.owner || "default";
  }

  /**
   * An up-to-date builder image for `baseImage`, preparing one if needed.
   * Concurrent calls for one base share a single preparation. Throws
   * BuilderImageError when the base is missing or the preparation fails.
   */
  async acquire(baseImage: string): Promise<BuilderImageLease> {
    let image = await this.#fresh(baseImage);
    if (!image) {
      let preparing = this.#preparing.get(baseImage);
      if (!preparing) {
        preparing = this.#prepare(baseImage).finally(() => this.#preparing.delete(baseImage));
        this.#preparing.set(baseImage, preparing);
      }
      image = await preparing;
    }
    const id = image.id;
    this.#inUse.set(id, (this.#inUse.get(id) ?? 0) + 1);
    let released = false;
    return {
      image,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.#inUse.get(id) ?? 1) - 1;
        if (left > 0) this.#inUse.set(id, left);
        else this.#inUse.delete(id);
      },
    };
  }

  /**
   * Removes every builder image that is not the newest of its base and not
   * leased. An engine that refuses because a container still uses an image
   * (409) is not an error: the image goes on a later call. Returns the ids removed.
   */
  async cleanup(): Promise<string[]> {
    const images = await this.#list();
    const newest = new Map<string, BuilderImage>();
    for (const image of images) {
      const known = newest.get(image.baseImage);
      if (!known || image.createdAt > known.createdAt) newest.set(image.baseImage, image);
    }
    const removed: string[] = [];
    for (const image of images) {
      if (newest.get(image.baseImage) === image || this.#inUse.has(image.id)) continue;
      try {
        await this.engine.docker.getImage(image.id).remove();
        removed.push(image.id);
      } catch (err) {
        if (statusCode(err) !== 409 && statusCode(err) !== 404) throw err;
      }
    }
    return removed;
  }

  async #fresh(baseImage: string): Promise<BuilderImage | undefined> {
    let image = this.#current.get(baseImage);
    if (!image) {
      image = (await this.#list()).filter((i) => i.baseImage === baseImage).sort(byAge)[0];
      if (image) this.#current.set(baseImage, image);
    }
    if (!image) return undefined;
    const maxAgeMs = (this.options.rebuildAfterMinutes ?? 1440) * 60_000;
    if (this.#now().getTime() - image.createdAt.getTime() >= maxAgeMs) return undefined;
    try {
      await this.engine.docker.getImage(image.id).inspect();
      return image;
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
      this.#current.delete(baseImage);
      return undefined;
    }
  }

  async #prepare(baseImage: string): Promise<BuilderImage> {
    try {
      await this.engine.ensureImage(baseImage);
    } catch (err) {
      throw new BuilderImageError(`base image ${baseImage} is not available: ${(err as Error).message}`);
    }
    const image = await prepareBuilderImage(this.engine, baseImage, {
      owner: this.#owner,
      network: this.options.network,
      timeoutMs: this.options.prepareTimeoutMs ?? 30 * 60_000,
      onLine: (line) => this.options.onLine?.(baseImage, line),
      now: this.#now,
    });
    this.#current.set(baseImage, image);
    await this.cleanup().catch(() => {});
    return image;
  }

  async #list(): Promise<BuilderImage[]> {
    // One label in the filter: Podman 4.3 answers nothing when given two.
    const infos = await this.engine.docker.listImages({ filters: { label: [`${LABELS.owner}=${this.#owner}`] } });
    return infos
      .filter((info) => info.Labels?.[LABELS.role] === "builder-image")
      .map((info) => ({
        id: imageId(info.Id),
        name: info.RepoTags?.[0] ?? info.Id,
        baseImage: info.Labels[LABELS.base] ?? "",
        createdAt: new Date(Number(info.Labels[LABELS.created] ?? 0)),
        pacmanSync: info.Labels[LABELS.pacmanSync] === "yes",
      }));
  }
}

/** Image ids without the `sha256:` some answers carry, so ids from listImages and commit compare equal. */
function imageId(id: string): string {
  return id.replace(/^sha256:/, "");
}

/** Newest first. */
function byAge(a: BuilderImage, b: BuilderImage): number {
  return b.createdAt.getTime() - a.createdAt.getTime();
}
