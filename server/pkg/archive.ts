/**
 * Reads a package archive from disk in one streaming pass: detects the
 * compression, hashes the file, decompresses, walks the tar entries, keeps
 * `.PKGINFO` and the file list. The archive is never held in memory.
 */
import { type FileHandle, open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { ReadEntry } from "tar";
import { ResourceExhaustedError } from "../../lib/errors.js";
import {
  type Compression,
  createDecompressor,
  describeDecompressError,
  detectCompression,
  DETECT_BYTES,
} from "./compression.js";
import { DigestStream } from "./digest-stream.js";
import { InvalidPackageError } from "./errors.js";
import { escapeEntryPath, isListedEntry, sortUnique, stripDotSlash } from "./file-list.js";
import { decodePkginfo } from "./pkginfo.js";
import { readTarEntries } from "./tar-entries.js";

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

/** Caps on what a hostile archive can make the reader hold in memory. */
export interface ArchiveLimits {
  /** Largest `.PKGINFO` in bytes (real ones are a few KiB). */
  maxPkginfoBytes: number;
  /** Most archive entries (the largest Arch packages have a few hundred thousand). */
  maxEntries: number;
  /** Most bytes of listed file names in total. */
  maxFileListBytes: number;
}

/** The limits used when the caller gives none. */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  maxPkginfoBytes: 1024 * 1024,
  maxEntries: 2_000_000,
  maxFileListBytes: 256 * 1024 * 1024,
};

const PKGINFO_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);

/**
 * Reads the package at `path`. Throws {@link InvalidPackageError} for an
 * empty file, an unsupported compression, a corrupt or truncated archive or
 * a missing `.PKGINFO`, and {@link ResourceExhaustedError} past `limits`.
 * File system errors (e.g. ENOENT) are passed through unchanged.
 */
export async function readPackageArchive(path: string, limits: Partial<ArchiveLimits> = {}): Promise<PackageArchive> {
  const max = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  // One open for detection and reading; the stream closes the handle.
  const file = await open(path, "r");
  let compression: Compression;
  try {
    compression = await detectFileCompression(file);
  } catch (error) {
    await file.close();
    throw error;
  }
  const digest = new DigestStream();
  const decompressor = createDecompressor(compression);
  let decompressError: unknown;
  decompressor.once("error", (error) => (decompressError = error));

  let pkginfo: Buffer | undefined;
  let sawPkginfo = false;
  const files: string[] = [];
  let entries = 0;
  let listedBytes = 0;
  const onEntry = (entry: ReadEntry) => {
    if (++entries > max.maxEntries) throw new ResourceExhaustedError(`package has more than ${max.maxEntries} entries`);
    if (isListedEntry(entry.path)) {
      const listed = escapeEntryPath(entry.path);
      listedBytes += Buffer.byteLength(listed) + 1;
      if (listedBytes > max.maxFileListBytes) {
        throw new ResourceExhaustedError(`package file list is larger than ${max.maxFileListBytes} bytes`);
      }
      files.push(listed);
    }
    // Like `bsdtar -xOq … .PKGINFO`, only the first entry of that name counts.
    if (sawPkginfo || !isPkginfoPath(entry.path)) return void entry.resume();
    sawPkginfo = true;
    if (!PKGINFO_TYPES.has(entry.type)) throw missingPkginfo(`.PKGINFO is a ${entry.type}, not a regular file`);
    if (entry.size > max.maxPkginfoBytes) {
      throw new InvalidPackageError("invalid_pkginfo", `.PKGINFO is larger than ${max.maxPkginfoBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    entry.on("data", (chunk: Buffer) => chunks.push(chunk));
    entry.on("end", () => (pkginfo = Buffer.concat(chunks)));
  };

  let parseError: unknown;
  const parse = (source: AsyncIterable<Uint8Array>) =>
    readTarEntries(source, onEntry).catch((error: unknown) => {
      parseError = error;
      throw error;
    });
  try {
    await pipeline(file.createReadStream({ start: 0, highWaterMark: 256 * 1024 }), digest, decompressor, parse);
  } catch (error) {
    // When parsing fails, pipeline may report the AbortError it then destroys
    // the decompressor with; the parse error (which may be the decompressor's
    // own error, rethrown by the iteration) is the one that explains.
    const cause = parseError ?? error;
    if (cause !== undefined && cause === decompressError) throw corrupt(compression, cause);
    throw cause;
  }
  if (pkginfo === undefined) throw missingPkginfo("archive has no .PKGINFO; is it a pacman package?");
  return { compression, pkginfo: decodePkginfo(pkginfo), files: sortUnique(files), ...digest.result() };
}

/** Reads the first bytes of the file and names its compression, or throws. */
async function detectFileCompression(file: FileHandle): Promise<Compression> {
  const head = Buffer.alloc(DETECT_BYTES);
  const { bytesRead } = await file.read(head, 0, DETECT_BYTES, 0);
  if (bytesRead === 0) throw new InvalidPackageError("empty_file", "file is empty");
  const compression = detectCompression(head.subarray(0, bytesRead));
  if (compression === undefined) {
    throw new InvalidPackageError(
      "unsupported_compression",
      "unsupported compression: expected a tar archive, plain or compressed with zstd, xz or gzip",
    );
  }
  return compression;
}

/** `.PKGINFO` as bsdtar matches it: after any leading `./`, possibly as a directory prefix. */
function isPkginfoPath(path: string): boolean {
  const name = stripDotSlash(path);
  return name === ".PKGINFO" || name.startsWith(".PKGINFO/");
}

function missingPkginfo(message: string): InvalidPackageError {
  return new InvalidPackageError("missing_pkginfo", message);
}

function corrupt(compression: Compression, error: unknown): InvalidPackageError {
  const detail = describeDecompressError(error);
  return new InvalidPackageError("corrupt_archive", `archive is corrupt or truncated (${compression}: ${detail})`);
}
