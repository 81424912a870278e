import { type ArchiveLimits, type PackageArchive, readPackageArchive } from "./archive.js";
import { type DescFileFacts } from "./desc.js";
import { packageFilename } from "./filename.js";
import { type PackageInfo, parsePkginfo } from "./pkginfo.js";

/** A package file read and validated: everything needed to publish it. */
export interface PackageFile {
  info: PackageInfo;
  archive: PackageArchive;
  /** The canonical file name, see {@link packageFilename}. */
  filename: string;
}

/**
 * Reads, parses and validates the package at `path` (one pass over the file).
 * Throws the errors of {@link readPackageArchive} and {@link parsePkginfo}.
 */
export async function readPackageFile(path: string, limits?: Partial<ArchiveLimits>): Promise<PackageFile> {
  const archive = await readPackageArchive(path, limits);
  const info = parsePkginfo(archive.pkginfo);
  return { info, archive, filename: packageFilename(info, archive.compression) };
}

/** The archive facts `renderDesc` needs, optionally with a signature (`encodeSignature`). */
export function descFacts(pkg: PackageFile, pgpsig?: string): DescFileFacts {
  const { csize, sha256, md5 } = pkg.archive;
  return { filename: pkg.filename, csize, sha256, md5, ...(pgpsig === undefined ? {} : { pgpsig }) };
}
