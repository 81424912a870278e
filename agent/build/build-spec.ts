/**
 * What one build is about: the target's source and the repository its
 * packages belong to. The agent builds it from a job; this module only checks
 * that the values can be used in a build script.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { validateArch, validateRepoName } from "../../lib/names.js";

/** Where the PKGBUILD comes from and where the packages go. */
export interface BuildSpec {
  /** `git`: clone `url`; `url`: download the PKGBUILD at `url`. */
  readonly kind: "git" | "url";
  readonly url: string;
  /** git only; empty or absent means the default branch. */
  readonly branch?: string;
  /** git only: the subdirectory holding the PKGBUILD. */
  readonly path?: string;
  /** The target's repository on the server (its packages may be dependencies). */
  readonly repo: string;
  /** The server's public base URL as seen from inside the build container. */
  readonly serverUrl: string;
  /** Build even when this version is already in the repository. */
  readonly force: boolean;
  /** The job's architecture: the arch-repo the version check asks. */
  readonly arch: string;
}

// Control characters make no sense in a URL, a branch or a path; quoting would
// keep them harmless, but refusing them gives the caller a clear message.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Throws InvalidArgumentError naming the first field a build script cannot use. */
export function checkBuildSpec(spec: BuildSpec): void {
  if (spec.kind !== "git" && spec.kind !== "url") {
    throw new InvalidArgumentError("kind", `${JSON.stringify(spec.kind)} is not git or url`);
  }
  if (spec.url === "") throw new InvalidArgumentError("url", "must not be empty");
  for (const field of ["url", "branch", "path", "serverUrl"] as const) {
    if (CONTROL.test(spec[field] ?? "")) throw new InvalidArgumentError(field, "must not contain control characters");
  }
  const path = spec.path ?? "";
  if (path.startsWith("/") || path.split("/").includes("..")) {
    throw new InvalidArgumentError("path", `${JSON.stringify(path)} must stay inside the repository`);
  }
  validateRepoName(spec.repo);
  validateArch(spec.arch);
  let server: URL;
  try {
    server = new URL(spec.serverUrl);
  } catch {
    throw new InvalidArgumentError("serverUrl", `${JSON.stringify(spec.serverUrl)} is not a URL`);
  }
  if (server.protocol !== "http:" && server.protocol !== "https:") {
    throw new InvalidArgumentError("serverUrl", "must be an http or https URL");
  }
  // The URL goes into pacman.conf as one word.
  if (/\s/.test(spec.serverUrl)) throw new InvalidArgumentError("serverUrl", "must not contain whitespace");
  if (server.search !== "" || server.hash !== "") {
    throw new InvalidArgumentError("serverUrl", "must not have a query or fragment");
  }
}

/** `serverUrl` without trailing slashes, ready for `/<repo>/<arch>/...` to be appended. */
export function serverBase(spec: BuildSpec): string {
  return spec.serverUrl.replace(/\/+$/, "");
}
