/**
 * Package file names: safe path components with a package extension. The
 * rules for repo, arch and package names are in lib/names.ts, since the
 * agent and the CLI check the same names.
 */
import { checkName, pathComponentProblem } from "../../lib/names.js";

const PACKAGE_FILE = /\.pkg\.tar(?:\.(?:gz|xz|zst))?(?:\.sig)?$/;

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

/** Returns `filename` if it is a valid package file name; throws InvalidArgumentError otherwise. */
export function validatePackageFilename(filename: string, field = "filename"): string {
  return checkName(field, "package file name", filename, packageFilenameProblem(filename));
}
