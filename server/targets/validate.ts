/**
 * Checks every target field before anything is stored. Each problem is an
 * InvalidArgumentError naming the field and the value.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { validateBuildArch, validateRepoName } from "../../lib/names.js";
import { checkSchedule } from "../config-checks.js";
import { TARGET_KINDS, type TargetDefaults, type TargetFields, type TargetKind } from "./target.js";

const MAX_TIMEOUT = 7 * 24 * 3600;
const URL_SCHEMES = new Set(["http:", "https:", "git:", "ssh:", "file:"]);

/** Input as it arrives from a transport: anything may be missing or wrong. */
export interface TargetInput {
  kind: string;
  url: string;
  branch: string;
  path: string;
  repo: string;
  arches: readonly string[];
  schedule: string;
  buildTimeoutSeconds: number;
  baseImage: string;
}

/** Validates and normalises a full set of target fields. */
export function validateTarget(input: TargetInput, defaults: TargetDefaults): TargetFields {
  const kind = checkKind(input.kind);
  return {
    kind,
    url: checkUrl(kind, input.url.trim()),
    branch: checkBranch(input.branch.trim()),
    path: checkPath(input.path.trim()),
    repo: validateRepoName(input.repo.trim(), "repo"),
    arches: checkArches(input.arches, defaults.defaultArch),
    schedule: checkTargetSchedule(input.schedule),
    buildTimeoutSeconds: checkTimeout(input.buildTimeoutSeconds),
    baseImage: checkBaseImage(input.baseImage.trim()),
  };
}

function checkKind(kind: string): TargetKind {
  const k = kind.trim().toLowerCase();
  if (!(TARGET_KINDS as readonly string[]).includes(k)) {
    throw new InvalidArgumentError("kind", `${JSON.stringify(kind)} is not a target kind (use git or url)`);
  }
  return k as TargetKind;
}

function checkUrl(kind: TargetKind, url: string): string {
  if (url === "") throw new InvalidArgumentError("url", "is required");
  // scp-like git addresses (user@host:path) are valid clone URLs without a scheme.
  if (kind === "git" && /^[\w.-]+@[\w.-]+:[^\s]+$/.test(url)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError("url", `${JSON.stringify(url)} is not a valid URL`);
  }
  const schemes = kind === "url" ? new Set(["http:", "https:"]) : URL_SCHEMES;
  if (!schemes.has(parsed.protocol)) {
    throw new InvalidArgumentError(
      "url",
      `${JSON.stringify(url)}: scheme ${parsed.protocol} is not allowed for ${kind} targets`,
    );
  }
  if (/[\s\0]/.test(url)) throw new InvalidArgumentError("url", `${JSON.stringify(url)} contains whitespace`);
  return url;
}

function checkBranch(branch: string): string {
  // git check-ref-format rules that matter for a clone argument.
  if (branch !== "" && (/[\s~^:?*[\\\0]|\.\.|@\{|^-|^\/|\/$|\.lock$|^\.|\/\./.test(branch) || branch.length > 255)) {
    throw new InvalidArgumentError("branch", `${JSON.stringify(branch)} is not a valid git branch name`);
  }
  return branch;
}

function checkPath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  if (path.startsWith("/") || parts.some((p) => p === "..") || /[\0\n\r]/.test(path)) {
    throw new InvalidArgumentError("path", `${JSON.stringify(path)} must be a relative path inside the repository`);
  }
  return parts.join("/");
}

function checkArches(arches: readonly string[], defaultArch: string): string[] {
  const list = arches.map((a) => a.trim()).filter((a) => a !== "");
  if (list.length === 0) return [defaultArch];
  for (const a of list) validateBuildArch(a, "arches");
  return [...new Set(list)];
}

function checkTargetSchedule(schedule: string): string {
  const s = schedule.trim();
  if (s === "") return "";
  const problem = checkSchedule(s);
  if (problem !== undefined) throw new InvalidArgumentError("schedule", problem);
  return s;
}

function checkTimeout(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_TIMEOUT) {
    throw new InvalidArgumentError("build_timeout_seconds", `${seconds} is not between 0 and ${MAX_TIMEOUT}`);
  }
  return seconds;
}

function checkBaseImage(image: string): string {
  if (image !== "" && !/^[a-z0-9][\w./:@-]*$/i.test(image)) {
    throw new InvalidArgumentError("base_image", `${JSON.stringify(image)} is not a valid image reference`);
  }
  return image;
}
