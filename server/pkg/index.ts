// Public API of the package domain module; see README.md.
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, type PackageArchive, readPackageArchive } from "./archive.js";
export { MAX_INFLATED_BYTES, readPackageBytes } from "./archive-bytes.js";
export {
  type Compression,
  COMPRESSION_EXTENSIONS,
  createDecompressor,
  detectCompression,
  DETECT_BYTES,
} from "./compression.js";
export { type DescFileFacts, renderDesc, renderFiles } from "./desc.js";
export { InvalidPackageError, type PackageProblem } from "./errors.js";
export { packageFilename } from "./filename.js";
// Name rules are shared with the agent and the CLI, so they live in lib/.
export {
  archNameProblem,
  MAX_NAME_BYTES,
  packageNameProblem,
  pathComponentProblem,
  repoNameProblem,
  validateArch,
  validatePackageName,
  validateRepoName,
} from "../../lib/names.js";
export { packageFilenameProblem, validatePackageFilename } from "./names.js";
export { decodePkginfo, type PackageInfo, parsePkginfo } from "./pkginfo.js";
export { pkgverProblem } from "./pkgver.js";
export { descFacts, type PackageFile, readPackageFile } from "./read-package.js";
export { encodeSignature, MAX_SIGNATURE_BYTES } from "./signature.js";
export { formatVersion, type ParsedVersion, parseVersion, vercmp, type VercmpResult } from "./vercmp.js";
