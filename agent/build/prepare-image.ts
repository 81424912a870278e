/**
 * Turns a base image into a builder image: runs PREPARE_SCRIPT in a
 * container from the base and commits the result with labels saying what it
 * is. Works from an Arch image (upgrade, base-devel, sudo) and from a non-Arch
 * image that already has makepkg but no pacman repositories (Debian's
 * makepkg, as in the tests here): there the pacman steps are skipped.
 */
import { ROLE_LABEL, startContainer } from "./container.js";
import type { Engine } from "./engine.js";
import { LastLines, type LogLine } from "./log-lines.js";
import { MARKER } from "./steps.js";

/** Labels on builder images (and the role label on every container we create). */
export const LABELS = {
  role: ROLE_LABEL,
  base: "org.vieter.builder.base",
  created: "org.vieter.builder.created",
  pacmanSync: "org.vieter.builder.pacman-sync",
  owner: "org.vieter.builder.owner",
} as const;

/** The repository name of builder images: `vieter-builder:<base-slug>-<ms timestamp>`. */
export const BUILDER_REPO = "vieter-builder";

/** A prepared builder image. */
export interface BuilderImage {
  readonly id: string;
  readonly name: string;
  readonly baseImage: string;
  readonly createdAt: Date;
  /** pacman has sync repositories: builds may upgrade and use `makepkg --syncdeps`. */
  readonly pacmanSync: boolean;
}

/** Preparing failed; `lastLines` are the prepare container's last output lines. */
export class BuilderImageError extends Error {
  override readonly name = "BuilderImageError";
  constructor(
    message: string,
    readonly lastLines: string[] = [],
  ) {
    super(message);
  }
}

const SYNC_LINE = `${MARKER} pacman-sync yes`;

/** POSIX sh, run as root in the base image. */
export const PREPARE_SCRIPT = `set -eu
if command -v pacman-conf >/dev/null 2>&1; then repos=$(pacman-conf --repo-list 2>/dev/null || true)
else repos=$(sed -n 's/^\\[\\(.*\\)\\]$/\\1/p' /etc/pacman.conf 2>/dev/null | grep -vx options || true); fi
if [ -n "$repos" ]; then
  echo '${SYNC_LINE}'
  pacman -Syu --noconfirm --needed base-devel git
else
  # pacman -Sy cannot work without repositories; the image must bring makepkg itself.
  echo '${MARKER} pacman-sync no'
fi
pacman -Q >/dev/null 2>&1 || true
missing=
for tool in makepkg runuser git curl bsdtar fakeroot awk; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then echo "${MARKER} the base image lacks:$missing" >&2; exit 1; fi
id -u builder >/dev/null 2>&1 || useradd --create-home --user-group builder
mkdir -p /home/builder && chown builder: /home/builder
if [ -d /etc/sudoers.d ]; then
  echo 'builder ALL=(ALL) NOPASSWD: ALL' >/etc/sudoers.d/vieter-builder && chmod 0440 /etc/sudoers.d/vieter-builder
fi
git config --system safe.directory '*'
echo '${MARKER} builder image ready'
`;

/** How a preparation runs. */
export interface PrepareOptions {
  /** Goes into the owner label (see BuilderImagesOptions.owner). */
  readonly owner: string;
  readonly network?: string;
  readonly timeoutMs: number;
  readonly onLine?: (line: LogLine) => void;
  readonly now: () => Date;
}

/** Prepares and commits a builder image from `baseImage` (which must be present). */
export async function prepareBuilderImage(
  engine: Engine,
  baseImage: string,
  options: PrepareOptions,
): Promise<BuilderImage> {
  const last = new LastLines();
  let pacmanSync = false;
  const run = await startContainer(
    engine,
    {
      image: baseImage,
      cmd: ["/bin/sh", "-c", PREPARE_SCRIPT],
      user: "root",
      labels: { [LABELS.role]: "prepare" },
      network: options.network,
    },
    (stream, text) => {
      if (text === SYNC_LINE) pacmanSync = true;
      last.add(text);
      options.onLine?.({ stream, text, at: new Date() });
    },
  ).catch((err: unknown) => {
    throw new BuilderImageError(`cannot start a container from ${baseImage}: ${message(err)}`);
  });
  try {
    const timer = setTimeout(() => void run.kill().catch(() => {}), options.timeoutMs);
    const exitCode = await run.exited.finally(() => clearTimeout(timer));
    if (exitCode !== 0) {
      throw new BuilderImageError(
        `preparing a builder image from ${baseImage} failed (exit code ${exitCode})`,
        last.lines,
      );
    }
    const createdAt = options.now();
    const tag = `${slug(baseImage)}-${createdAt.getTime()}`;
    const label = (key: string, value: string) => `LABEL ${key}=${JSON.stringify(value)}`;
    const { Id } = (await run.container.commit({
      repo: BUILDER_REPO,
      tag,
      changes: [
        'CMD ["/bin/bash"]',
        label(LABELS.role, "builder-image"),
        label(LABELS.base, baseImage),
        label(LABELS.created, String(createdAt.getTime())),
        label(LABELS.pacmanSync, pacmanSync ? "yes" : "no"),
        label(LABELS.owner, options.owner),
      ],
    })) as { Id: string };
    return { id: Id.replace(/^sha256:/, ""), name: `${BUILDER_REPO}:${tag}`, baseImage, createdAt, pacmanSync };
  } finally {
    await run.remove().catch(() => {});
  }
}

/** `archlinux:base-devel` → `archlinux-base-devel` (a valid tag part). */
export function slug(image: string): string {
  return (
    image
      .toLowerCase()
      .replace(/[^a-z0-9_.]+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, 96) || "base"
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
