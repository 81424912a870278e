/**
 * A package's metadata from `.PKGINFO`, with pacman's own key names. Single
 * keys that `.PKGINFO` leaves out or empty are `""` (or `undefined` for the
 * numbers); list keys keep their values in file order.
 */
export interface PackageInfo {
  /** Package name (makepkg rules: `[A-Za-z0-9@._+-]`, not starting with `-` or `.`). */
  pkgname: string;
  /** Name of the PKGBUILD's base (the split package's parent); "" if absent. */
  pkgbase: string;
  /** Full version: `[epoch:]pkgver-pkgrel`. */
  pkgver: string;
  pkgdesc: string;
  url: string;
  /** Build time in seconds since the epoch. */
  builddate: number | undefined;
  packager: string;
  /** Installed size in bytes (may exceed 2^31). */
  size: number | undefined;
  /** Architecture, e.g. `x86_64` or `any`. */
  arch: string;
  /** A signature embedded in `.PKGINFO` by old tools (base64); "" if absent. */
  pgpsig: string;
  license: string[];
  replaces: string[];
  group: string[];
  conflict: string[];
  provides: string[];
  /** Configuration files pacman keeps on upgrade (not written to `desc`). */
  backup: string[];
  depend: string[];
  /** Optional dependencies, `name: description`. */
  optdepend: string[];
  makedepend: string[];
  checkdepend: string[];
  /** Extension data, `key=value` (pacman 6, e.g. `pkgtype=split`; not written to `desc`). */
  xdata: string[];
}
