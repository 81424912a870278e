/**
 * Validation of the full version a package carries in `.PKGINFO` (and in its
 * file name): `[epoch:]pkgver-pkgrel`, as makepkg's `get_full_version` builds
 * it from a PKGBUILD that passed makepkg's lint.
 */

/**
 * makepkg's lint rules: pkgver is ASCII without whitespace, `/`, `:` or `-`
 * (we also refuse `\`, which no file name here may hold); pkgrel is
 * `integer[.integer]`; epoch is an integer.
 */
const FULL_VERSION = /^(?:[0-9]+:)?[!-~]+-[0-9]+(?:\.[0-9]+)?$/;
const PKGVER_FORBIDDEN = /[/:\\-]/;

/**
 * Why `version` is not a valid full package version, or undefined if it is.
 * Used for the `pkgver` key of `.PKGINFO`, which includes epoch and pkgrel.
 */
export function pkgverProblem(version: string): string | undefined {
  if (!FULL_VERSION.test(version)) {
    return 'must be "[epoch:]pkgver-pkgrel": printable ASCII without spaces, pkgrel "integer[.integer]"';
  }
  const withoutEpoch = version.replace(/^[0-9]+:/, "");
  const pkgver = withoutEpoch.slice(0, withoutEpoch.lastIndexOf("-"));
  if (PKGVER_FORBIDDEN.test(pkgver)) return 'pkgver must not contain "/", ":", "-" or "\\"';
  return undefined;
}
