/**
 * Names clients send (repos, arches, packages). Each check returns what is
 * wrong, or undefined; they run before a name touches the filesystem, so they
 * allow only characters that are safe in a path segment.
 */

const MAX_NAME = 128;
const REPO = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const ARCH = /^[A-Za-z0-9_]+$/;
// makepkg's rule for pkgname: alphanumerics and @._+-, not starting with - or .
const PKGNAME = /^[A-Za-z0-9@_+][A-Za-z0-9@._+-]*$/;

/** Why `name` cannot be a repo name, or undefined. */
export function repoNameProblem(name: string): string | undefined {
  if (name.toLowerCase() === "api") return `"api" is reserved and cannot be used as a repository name`;
  return shapeProblem("repository", name, REPO, "letters, digits and ._+- (not starting with . + or -)");
}

/** Why `name` cannot be an architecture, or undefined ("any" is allowed here). */
export function archNameProblem(name: string): string | undefined {
  return shapeProblem("architecture", name, ARCH, "letters, digits and _");
}

/** Why `name` cannot be a package name, or undefined. */
export function packageNameProblem(name: string): string | undefined {
  return shapeProblem("package", name, PKGNAME, "letters, digits and @._+- (not starting with . or -)");
}

function shapeProblem(what: string, name: string, shape: RegExp, allowed: string): string | undefined {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name === "") return `${what} name must not be empty`;
  if (name.length > MAX_NAME) return `${what} name ${shown} is longer than ${MAX_NAME} characters`;
  if (!shape.test(name)) return `${shown} is not a valid ${what} name (use ${allowed})`;
  return undefined;
}
