/**
 * Validators for the names that become path components on disk (repo, arch,
 * package and package file names). Every request-supplied name goes through
 * one of these before anything touches the filesystem, so a name can never
 * climb out of its directory, hide as a dotfile or pose as a command option.
 *
 * The `…Problem` functions return why a name is unacceptable (or undefined),
 * for callers that wrap the reason in their own error; the `validate…`
 * functions throw an {@link InvalidArgumentError} naming the field and value.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { quote } from "./errors.js";

/** Longest name in UTF-8 bytes: the usual file system limit for one path component. */
export const MAX_NAME_BYTES = 255;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PACKAGE_NAME = /^[A-Za-z0-9@._+-]+$/;
const ARCH = /^[A-Za-z0-9_]+$/;
const PACKAGE_FILE = /\.pkg\.tar(?:\.(?:gz|xz|zst))?(?:\.sig)?$/;

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
  return pathComponentProblem(name);
}

/** Why `arch` is not a valid architecture name (makepkg: `[A-Za-z0-9_]+`), or undefined. */
export function archProblem(arch: string): string | undefined {
  return pathComponentProblem(arch) ?? (ARCH.test(arch) ? undefined : "may only contain A-Z, a-z, 0-9 and _");
}

/**
 * Why `name` is not a valid pacman package name, or undefined. The rules are
 * makepkg's (`lint_pkgname`): ASCII letters, digits and `@._+-`, not starting
 * with `-` or `.`.
 */
export function packageNameProblem(name: string): string | undefined {
  return (
    pathComponentProblem(name) ?? (PACKAGE_NAME.test(name) ? undefined : "may only contain A-Z, a-z, 0-9 and @._+-")
  );
}

/**
 * Why `filename` is not an acceptable package file name, or undefined: a safe
 * path component ending in `.pkg.tar`, optionally `.gz`, `.xz` or `.zst`, and
 * optionally `.sig` for a detached signature.
 */
export function packageFilenameProblem(filename: string): string | undefined {
  return (
    pathComponentProblem(filename) ??
    (PACKAGE_FILE.test(filename) ? undefined : 'must end in ".pkg.tar", optionally followed by ".gz", ".xz" or ".zst"')
  );
}

/** Returns `name` if it can name a repository; throws InvalidArgumentError otherwise. */
export function validateRepoName(name: string, field = "repo"): string {
  return check(field, "repository name", name, repoNameProblem(name));
}

/** Returns `arch` if it is a valid architecture name; throws InvalidArgumentError otherwise. */
export function validateArch(arch: string, field = "arch"): string {
  return check(field, "architecture", arch, archProblem(arch));
}

/** Returns `name` if it is a valid package name; throws InvalidArgumentError otherwise. */
export function validatePackageName(name: string, field = "pkgname"): string {
  return check(field, "package name", name, packageNameProblem(name));
}

/** Returns `filename` if it is a valid package file name; throws InvalidArgumentError otherwise. */
export function validatePackageFilename(filename: string, field = "filename"): string {
  return check(field, "package file name", filename, packageFilenameProblem(filename));
}

function check(field: string, what: string, value: string, problem: string | undefined): string {
  if (problem !== undefined) throw new InvalidArgumentError(field, `invalid ${what} ${quote(value)}: ${problem}`);
  return value;
}
