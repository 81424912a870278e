/**
 * Reads a package archive from disk in one streaming pass: detects the
 * compression, hashes the file, decompresses, walks the tar entries, keeps
 * `.PKGINFO` and the file list. The archive is never held in memory.
 * Uploads small enough to keep take archive-bytes.ts instead.
 */
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type Compression,
  createDecompressor,
  describeDecompressError,
  detectCompression,
  DETECT_BYTES,
} from "./compression.js";
import { DigestStream } from "./digest-stream.js";
import { InvalidPackageError } from "./errors.js";
import { type ArchiveLimits, PackageEntries } from "./package-entries.js";
import { readTarEntries } from "./tar-entries.js";

export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./package-entries.js";

/** What the server needs from a package file besides its parsed `.PKGINFO`. */
export interface PackageArchive {
  compression: Compression;
  /** The `.PKGINFO` text (valid UTF-8). */
  pkginfo: string;
  /** The `files` list exactly as repo-add writes it (escaped, byte-sorted, unique). */
  files: string[];
  /** Size of the file in bytes (`%CSIZE%`). */
  csize: number;
  /** Lower-case hex digests of the whole file. */
  sha256: string;
  md5: string;
}

/**
 * Reads the package at `path`. Throws {@link InvalidPackageError} for an
 * empty file, an unsupported compression, a corrupt or truncated archive or
 * a missing `.PKGINFO`, and {@link ResourceExhaustedError} past `limits`.
 * File system errors (e.g. ENOENT) are passed through unchanged.
 */
export async function readPackageArchive(path: string, limits: Partial<ArchiveLimits> = {}): Promise<PackageArchive> {
  // One open for detection and reading; the stream closes the handle.
  const file = await open(path, "r");
  let compression: Compression;
  try {
    const head = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await file.read(head, 0, DETECT_BYTES, 0);
    compression = compressionOf(head.subarray(0, bytesRead));
  } catch (error) {
    await file.close();
    throw error;
  }
  return readPackageStream(file.createReadStream({ start: 0, highWaterMark: 256 * 1024 }), compression, limits);
}

/** Reads a package from `source` (the whole file, from its first byte), already detected as `compression`. */
export async function readPackageStream(
  source: Readable,
  compression: Compression,
  limits: Partial<ArchiveLimits> = {},
): Promise<PackageArchive> {
  const digest = new DigestStream();
  const decompressor = createDecompressor(compression);
  let decompressError: unknown;
  decompressor.once("error", (error) => (decompressError = error));
  const entries = new PackageEntries(limits);
  let parseError: unknown;
  const parse = (stream: AsyncIterable<Uint8Array>) =>
    readTarEntries(stream, entries.onEntry).catch((error: unknown) => {
      parseError = error;
      throw error;
    });
  try {
    await pipeline(source, digest, decompressor, parse);
  } catch (error) {
    // When parsing fails, pipeline may report the AbortError it then destroys
    // the decompressor with; the parse error (which may be the decompressor's
    // own error, rethrown by the iteration) is the one that explains.
    const cause = parseError ?? error;
    if (cause !== undefined && cause === decompressError) throw corruptArchive(compression, cause);
    throw cause;
  }
  return { compression, ...entries.result(), ...digest.result() };
}

/** Names the compression of a file from its first bytes, or throws. */
export function compressionOf(head: Uint8Array): Compression {
  if (head.length === 0) throw new InvalidPackageError("empty_file", "file is empty");
  const compression = detectCompression(head.subarray(0, DETECT_BYTES));
  if (compression === undefined) {
    throw new InvalidPackageError(
      "unsupported_compression",
      "unsupported compression: expected a tar archive, plain or compressed with zstd, xz or gzip",
    );
  }
  return compression;
}

/** The error for bytes the decompressor refused. */
export function corruptArchive(compression: Compression, error: unknown): InvalidPackageError {
  const detail = describeDecompressError(error);
  return new InvalidPackageError("corrupt_archive", `archive is corrupt or truncated (${compression}: ${detail})`);
}
