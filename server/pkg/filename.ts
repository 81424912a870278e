import { type Compression, COMPRESSION_EXTENSIONS } from "./compression.js";
import { quote } from "../../lib/quote.js";
import { InvalidPackageError } from "./errors.js";
import { packageFilenameProblem } from "./names.js";
import type { PackageInfo } from "./pkginfo.js";

/**
 * The file name a package is stored and served under:
 * `<pkgname>-<pkgver>-<arch>.pkg.tar<ext>`, with `<ext>` from the detected
 * compression (so an upload's own name never matters). This is also the name
 * makepkg gives the file, and `%FILENAME%` in `desc`.
 *
 * Throws {@link InvalidPackageError} if the result is not a safe file name,
 * which for validated `.PKGINFO` values only happens when it exceeds 255 bytes.
 */
export function packageFilename(
  info: Pick<PackageInfo, "pkgname" | "pkgver" | "arch">,
  compression: Compression,
): string {
  const filename = `${info.pkgname}-${info.pkgver}-${info.arch}.pkg.tar${COMPRESSION_EXTENSIONS[compression]}`;
  const problem = packageFilenameProblem(filename);
  if (problem !== undefined) {
    throw new InvalidPackageError("invalid_pkginfo", `package file name ${quote(filename)} ${problem}`);
  }
  return filename;
}
