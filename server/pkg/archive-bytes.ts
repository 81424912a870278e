/**
 * Reads a package that is already in memory (a small upload, kept as it was
 * received): the same checks and result as readPackageArchive, without
 * reading the file back. Hashing and decompression are one call each; an
 * archive that inflates past {@link MAX_INFLATED_BYTES} (or an xz one) is
 * streamed from the buffer instead.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { type PackageArchive, compressionOf, corruptArchive, readPackageStream } from "./archive.js";
import { decompressBytes } from "./decompress-bytes.js";
import { type ArchiveLimits, PackageEntries } from "./package-entries.js";
import { readTarEntries } from "./tar-entries.js";

/** Largest decompressed tar decoded in one piece; larger ones are streamed. */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** Reads the package whose whole file is `bytes`; throws what readPackageArchive throws. */
export async function readPackageBytes(bytes: Buffer, limits: Partial<ArchiveLimits> = {}): Promise<PackageArchive> {
  const compression = compressionOf(bytes);
  let tar: Buffer | undefined;
  try {
    tar = decompressBytes(bytes, compression, MAX_INFLATED_BYTES);
  } catch (error) {
    throw corruptArchive(compression, error);
  }
  if (tar === undefined) return readPackageStream(Readable.from([bytes]), compression, limits);
  const entries = new PackageEntries(limits);
  await readTarEntries([tar], entries.onEntry);
  return {
    compression,
    ...entries.result(),
    csize: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    md5: createHash("md5").update(bytes).digest("hex"),
  };
}
