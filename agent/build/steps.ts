/**
 * The build script's steps as the log shows them, and how a failure is
 * attributed to one. The script prints `==> vieter: step <name>` before each
 * step; the last marker seen before a non-zero exit names the failed step.
 */

/** Steps of the build script, in the order they run. */
export const SCRIPT_STEPS = ["setup", "fetch", "prepare", "version-check", "build"] as const;
export type ScriptStep = (typeof SCRIPT_STEPS)[number];

/** Why a build did not succeed (the failure causes this module can tell). */
export type FailureStep = "image" | "fetch" | "prepare" | "version-check" | "build" | "timeout" | "infrastructure";

/** Prefix of every line the script or the runner writes about the build itself. */
export const MARKER = "==> vieter:";
/** Exit code of the script when every package of this version is already in the repository. */
export const EXIT_SKIPPED = 99;

const STEP_PREFIX = `${MARKER} step `;
const SKIP_PREFIX = `${MARKER} skip: `;

/** Follows the markers in one container's output. */
export class StepTracker {
  #step: ScriptStep | undefined;
  #skipReason: string | undefined;

  /**
   * `beforeFirstMarker` is the failure step of an exit before any marker:
   * `image` for a container that starts at setup (the builder image could not
   * run the script), `build` for the isolated build container, which runs
   * only the build step (its own tracker, so the first container's markers
   * cannot name its failures).
   */
  constructor(private readonly beforeFirstMarker: FailureStep = "image") {}

  /** Feeds one output line. Markers only move forward, so a PKGBUILD echoing an earlier one changes nothing. */
  observe(line: string): void {
    if (line.startsWith(SKIP_PREFIX)) this.#skipReason = line.slice(SKIP_PREFIX.length);
    if (!line.startsWith(STEP_PREFIX)) return;
    const step = line.slice(STEP_PREFIX.length) as ScriptStep;
    const index = SCRIPT_STEPS.indexOf(step);
    if (index > (this.#step === undefined ? -1 : SCRIPT_STEPS.indexOf(this.#step))) this.#step = step;
  }

  /** The step running (or that ran last). */
  get step(): ScriptStep | undefined {
    return this.#step;
  }

  /** Why the script skipped the build, from its `skip:` line. */
  get skipReason(): string | undefined {
    return this.#skipReason;
  }

  /**
   * The failure cause for a non-zero exit: the last marker's step, where
   * `setup` (pacman.conf, upgrade) means the builder image could not run the
   * build; before any marker, `beforeFirstMarker`.
   */
  failureStep(): FailureStep {
    if (this.#step === undefined) return this.beforeFirstMarker;
    return this.#step === "setup" ? "image" : this.#step;
  }
}

/** The marker line for `step` (the script prints the same text). */
export function stepLine(step: ScriptStep): string {
  return `${STEP_PREFIX}${step}`;
}
