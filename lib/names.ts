/**
 * The one definition of the names that become path components, URL segments
 * and pacman.conf sections (repo, arch, package names), for the server, the
 * agent and the CLI alike. A name passes these checks before anything touches
 * the filesystem or a build script, so it can never climb out of its
 * directory, hide as a dotfile, pose as a command option or end a section.
 *
 * The `…Problem` functions return why a name is unacceptable, as a phrase
 * such as `must not be empty` (or undefined), for callers that wrap the reason
 * in their own message; the `validate…` functions throw an
 * {@link InvalidArgumentError} naming the field and the value.
 */
import { InvalidArgumentError } from "./errors.js";
import { quote } from "./quote.js";

/** Longest name in UTF-8 bytes: the usual file system limit for one path component. */
export const MAX_NAME_BYTES = 255;

/**
 * Longest repo or arch name. Both are typed by people and reappear inside
 * longer file names (`<repo>.files.tar.gz` in pacman's sync folder), so they
 * stay well below {@link MAX_NAME_BYTES}.
 */
export const MAX_SHORT_NAME_LENGTH = 128;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// ASCII only: a repo name is a URL segment pacman does not escape and a pacman.conf section.
const REPO = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
// makepkg's lint_arch.
const ARCH = /^[A-Za-z0-9_]+$/;
// makepkg's lint_pkgname; the leading - and . it forbids are path-component rules below.
const PACKAGE_NAME = /^[A-Za-z0-9@._+-]+$/;

/** Why `value` cannot be used as a single path component, or undefined if it can. */
export function pathComponentProblem(value: string): string | undefined {
  if (value === "") return "must not be empty";
  if (value === "." || value === "..") return 'must not be "." or ".."';
  if (value.includes("/") || value.includes("\\")) return 'must not contain "/" or "\\"';
  if (CONTROL.test(value)) return "must not contain NUL or other control characters";
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode";
  if (value.startsWith("-")) return 'must not start with "-"';
  if (value.startsWith(".")) return 'must not start with "."';
  if (Buffer.byteLength(value, "utf8") > MAX_NAME_BYTES) return `must not be longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** Why `name` cannot name a repository, or undefined if it can. */
export function repoNameProblem(name: string): string | undefined {
  // Vieter's HTTP API lives under /api, so a repo of that name would shadow it.
  if (name.toLowerCase() === "api") return '"api" is reserved';
  return (
    shortNameProblem(name) ??
    (REPO.test(name) ? undefined : "may only contain A-Z, a-z, 0-9 and ._+-, and must start with a letter or digit")
  );
}

/** Why `arch` is not a valid architecture name (makepkg: `[A-Za-z0-9_]+`; `any` is one), or undefined. */
export function archNameProblem(arch: string): string | undefined {
  return shortNameProblem(arch) ?? (ARCH.test(arch) ? undefined : "may only contain A-Z, a-z, 0-9 and _");
}

/**
 * Why `arch` is not an architecture something can be built on, or undefined:
 * a valid name other than `any` (an `any` package is built on a real arch).
 */
export function buildArchProblem(arch: string): string | undefined {
  return arch === "any" ? "must be a real architecture, not any" : archNameProblem(arch);
}

/**
 * Why `name` is not a valid pacman package name, or undefined. The rules are
 * makepkg's (`lint_pkgname`): ASCII letters, digits and `@._+-`, not starting
 * with `-` or `.`; the length is limited only by the file system, so the
 * server takes every package makepkg can build.
 */
export function packageNameProblem(name: string): string | undefined {
  return (
    pathComponentProblem(name) ?? (PACKAGE_NAME.test(name) ? undefined : "may only contain A-Z, a-z, 0-9 and @._+-")
  );
}

/** `invalid <what> "<value>": <problem>`: a message that names the value, for callers without a field. */
export function invalidNameMessage(what: string, value: string, problem: string): string {
  return `invalid ${what} ${quote(value)}: ${problem}`;
}

/** Returns `name` if it can name a repository; throws InvalidArgumentError otherwise. */
export function validateRepoName(name: string, field = "repo"): string {
  return checkName(field, "repository name", name, repoNameProblem(name));
}

/** Returns `arch` if it is a valid architecture name (`any` included); throws InvalidArgumentError otherwise. */
export function validateArch(arch: string, field = "arch"): string {
  return checkName(field, "architecture", arch, archNameProblem(arch));
}

/** Returns `arch` if something can be built on it (not `any`); throws InvalidArgumentError otherwise. */
export function validateBuildArch(arch: string, field = "arch"): string {
  return checkName(field, "architecture", arch, buildArchProblem(arch));
}

/** Returns `name` if it is a valid package name; throws InvalidArgumentError otherwise. */
export function validatePackageName(name: string, field = "pkgname"): string {
  return checkName(field, "package name", name, packageNameProblem(name));
}

/** Throws an InvalidArgumentError for `field` when `problem` is set; returns `value` otherwise. */
export function checkName(field: string, what: string, value: string, problem: string | undefined): string {
  if (problem !== undefined) throw new InvalidArgumentError(field, invalidNameMessage(what, value, problem));
  return value;
}

function shortNameProblem(name: string): string | undefined {
  return (
    pathComponentProblem(name) ??
    (name.length > MAX_SHORT_NAME_LENGTH ? `must not be longer than ${MAX_SHORT_NAME_LENGTH} characters` : undefined)
  );
}
