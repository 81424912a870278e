/**
 * The real container engine for tests: Podman's Docker API started by
 * scripts/env/podman.sh and the Debian base image from
 * scripts/env/builder-image.sh (both idempotent and safe to run from several
 * test files at once). `npm test` runs them first, so here they take
 * milliseconds; run alone, the first call may take a minute or more.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Engine, createEngine } from "../engine.js";
import { LABELS } from "../prepare-image.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../../..");

/** An engine and a base image with makepkg. */
export interface EngineSetup {
  readonly engine: Engine;
  readonly socket: string;
  readonly baseImage: string;
}

/**
 * Why engine tests cannot run on this machine, or undefined. Only a machine
 * that can neither install Podman (not root) nor has it is refused.
 */
export function engineSkipReason(): string | undefined {
  if (process.platform !== "linux") return "the container tests need Linux (Podman)";
  const root = process.getuid?.() === 0;
  const podman = ["/usr/bin/podman", "/usr/local/bin/podman"].some((p) => existsSync(p));
  if (!root && !podman) return "the container tests need root (to install Podman) or Podman installed";
  return undefined;
}

let setup: Promise<EngineSetup> | undefined;

/** Starts (or finds) the engine and the base image, once per test process. */
export function engineSetup(): Promise<EngineSetup> {
  setup ??= (async () => {
    // Held for this test process only: `podman.sh release` (scripts/test.sh) stops the
    // service once no living process holds it, unless someone started it by hand.
    const socket = lastLine(await script("podman.sh", "start", "--hold", String(process.pid)));
    const baseImage = lastLine(await script("builder-image.sh"));
    const engine = createEngine({ socket });
    await engine.ping();
    return { engine, socket, baseImage };
  })();
  return setup;
}

/** Removes the builder images a test file prepared under `owner`. */
export async function removeTestLeftovers(engine: Engine, owner: string): Promise<void> {
  const images = await engine.docker.listImages({ filters: { label: [`${LABELS.owner}=${owner}`] } });
  for (const image of images)
    await engine.docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => {});
}

async function script(name: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run("bash", [join(ROOT, "scripts/env", name), ...args], { timeout: 15 * 60_000 });
    return stdout;
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`scripts/env/${name} failed: ${stderr?.trim() || (err as Error).message}`);
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}
