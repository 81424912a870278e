/**
 * Package compression: detection by magic bytes and streaming decompressors.
 * The formats are the ones makepkg writes and Vieter 0.6 accepted; anything
 * else (bzip2, lz4, lzip, …) is refused before any decoding starts.
 */
import { Duplex, PassThrough } from "node:stream";
import { createGunzip } from "node:zlib";
import xzDecompress from "xz-decompress";
import { DecompressStream } from "zstd-napi";

/** A compression the server can read. `none` is a plain tar archive. */
export type Compression = "zstd" | "xz" | "gzip" | "none";

/** File name suffix after `.pkg.tar` for each compression. */
export const COMPRESSION_EXTENSIONS: Readonly<Record<Compression, string>> = {
  zstd: ".zst",
  xz: ".xz",
  gzip: ".gz",
  none: "",
};

/** Bytes {@link detectCompression} needs to decide: one tar header block. */
export const DETECT_BYTES = 512;

const MAGIC: ReadonlyArray<[Compression, readonly number[]]> = [
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["gzip", [0x1f, 0x8b]],
];

/**
 * Detects the compression from the first bytes of a file (at least
 * {@link DETECT_BYTES} when available). A plain tar is recognised by a valid
 * header checksum. Returns undefined for anything else.
 */
export function detectCompression(head: Uint8Array): Compression | undefined {
  for (const [compression, magic] of MAGIC) {
    if (magic.every((byte, i) => head[i] === byte)) return compression;
  }
  return isTarHeader(head) ? "none" : undefined;
}

/**
 * A streaming decompressor for `compression` (a pass-through for `none`).
 * zstd uses libzstd through zstd-napi and xz a WebAssembly liblzma
 * (xz-decompress), because Node 20's zlib only speaks gzip.
 */
export function createDecompressor(compression: Compression): Duplex {
  switch (compression) {
    case "zstd":
      return new DecompressStream();
    case "xz": {
      // xz-decompress wraps a web ReadableStream; an identity TransformStream
      // gives it one that we can write to as a Node stream.
      const input = new TransformStream<Uint8Array, Uint8Array>();
      const output = new xzDecompress.XzReadableStream(input.readable);
      return Duplex.fromWeb({ writable: input.writable, readable: output });
    }
    case "gzip":
      return createGunzip();
    case "none":
      return new PassThrough();
  }
}

/**
 * liblzma status codes, which xz-decompress reports only as numbers
 * ("get_next_output failed with error code 8").
 */
const LZMA_ERRORS: Readonly<Record<string, string>> = {
  "5": "out of memory",
  "6": "not in xz format",
  "7": "compressed data is corrupt",
  "8": "unexpected end of input",
};

/** A readable explanation of a decompressor error. */
export function describeDecompressError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lzmaCode = /failed with error code (\d+)/.exec(message)?.[1];
  return (lzmaCode && LZMA_ERRORS[lzmaCode]) ?? message;
}

/** ustar/v7 header checksum: the byte sum with the checksum field read as spaces. */
function isTarHeader(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  const field = Buffer.from(head.subarray(148, 156)).toString("latin1");
  const stored = Number.parseInt(field.replace(/[\0 ]+$/, "").trim(), 8);
  if (!Number.isInteger(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  // An all-zero block sums to 256 and is an end-of-archive marker, not a header.
  return sum === stored && sum !== 256;
}
