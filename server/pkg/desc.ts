/**
 * The `desc` and `files` entries of a pacman sync database, byte for byte as
 * repo-add 6.0.2 (`db_write_entry`) writes them.
 *
 * Format: for each field, `%NAME%`, one line per value, then an empty line.
 * A field is written only if its *first* value is non-empty (repo-add's
 * `format_entry` tests `[[ $1 ]]`), so empty fields vanish entirely.
 */
import type { PackageInfo } from "./pkginfo.js";

/** What `desc` needs besides `.PKGINFO`: facts about the archive file. */
export interface DescFileFacts {
  /** The package file name as served, e.g. `foo-1.0-1-x86_64.pkg.tar.zst`. */
  filename: string;
  /** Size of the package file in bytes (`%CSIZE%`). */
  csize: number;
  /** Lower-case hex SHA-256 of the package file. */
  sha256: string;
  /** Lower-case hex MD5 of the package file; repo-add 6.0.2 always writes it, Vieter 0.6 did not. */
  md5?: string;
  /**
   * Base64 of the detached signature (see {@link encodeSignature}), written as
   * `%PGPSIG%`. repo-add 6.0.2 adds it whenever `<package>.sig` exists; without
   * one, a `pgpsig` key from `.PKGINFO` is used, as repo-add does.
   */
  pgpsig?: string;
}

/** Renders the `desc` entry for a package. */
export function renderDesc(info: PackageInfo, facts: DescFileFacts): string {
  const fields: Array<[string, readonly string[]]> = [
    ["FILENAME", [facts.filename]],
    ["NAME", [info.pkgname]],
    ["BASE", [info.pkgbase]],
    ["VERSION", [info.pkgver]],
    ["DESC", [info.pkgdesc]],
    ["GROUPS", info.group],
    ["CSIZE", [String(facts.csize)]],
    ["ISIZE", [info.size === undefined ? "" : String(info.size)]],
    ["MD5SUM", [facts.md5 ?? ""]],
    ["SHA256SUM", [facts.sha256]],
    ["PGPSIG", [facts.pgpsig ?? info.pgpsig]],
    ["URL", [info.url]],
    ["LICENSE", info.license],
    ["ARCH", [info.arch]],
    ["BUILDDATE", [info.builddate === undefined ? "" : String(info.builddate)]],
    ["PACKAGER", [info.packager]],
    ["REPLACES", info.replaces],
    ["CONFLICTS", info.conflict],
    ["PROVIDES", info.provides],
    ["DEPENDS", info.depend],
    ["OPTDEPENDS", info.optdepend],
    ["MAKEDEPENDS", info.makedepend],
    ["CHECKDEPENDS", info.checkdepend],
  ];
  return fields.map(([name, values]) => formatEntry(name, values)).join("");
}

/**
 * Renders the `files` entry: `%FILES%` and one path per line. `files` must
 * already be in repo-add's form, as `readPackageArchive` returns it (escaped,
 * byte-sorted, unique).
 */
export function renderFiles(files: readonly string[]): string {
  return `%FILES%\n${files.map((file) => `${file}\n`).join("")}`;
}

function formatEntry(name: string, values: readonly string[]): string {
  if (!values[0]) return "";
  return `%${name}%\n${values.join("\n")}\n\n`;
}
