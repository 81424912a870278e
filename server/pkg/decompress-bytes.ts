/**
 * One-shot decompression of a package held in memory, with a cap on the
 * output: a small upload may still inflate to gigabytes, so past the cap the
 * caller streams instead. One call into zlib or libzstd costs a fraction of
 * a stream pipeline, which is most of the work for a small package.
 */
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import type * as ZstdBinding from "zstd-napi/binding.js";
import type { Compression } from "./compression.js";

// zstd-napi's one-shot API has no output cap, so we drive its native context
// (the one DecompressStream uses) ourselves; the binding is CommonJS.
const binding = createRequire(import.meta.url)("zstd-napi/binding.js") as typeof ZstdBinding;

/** Output chunk for zstd (libzstd's recommended stream output size). */
const ZSTD_CHUNK = binding.dStreamOutSize();

/**
 * The decompressed bytes, or undefined when they would exceed `maxOutput`
 * bytes or the format has no one-shot decoder here (xz). Throws the
 * decompressor's error for corrupt or truncated input, as the streaming
 * decompressors do.
 */
export function decompressBytes(bytes: Buffer, compression: Compression, maxOutput: number): Buffer | undefined {
  switch (compression) {
    case "none":
      return bytes;
    case "gzip":
      return gunzipCapped(bytes, maxOutput);
    case "zstd":
      return unzstdCapped(bytes, maxOutput);
    case "xz":
      return undefined;
  }
}

function gunzipCapped(bytes: Buffer, maxOutput: number): Buffer | undefined {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxOutput });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") return undefined;
    throw error;
  }
}

/** libzstd's streaming decoder run to the end of the input (every frame), as DecompressStream does. */
function unzstdCapped(bytes: Buffer, maxOutput: number): Buffer | undefined {
  const dctx = new binding.DCtx();
  const chunks: Buffer[] = [];
  let total = 0;
  let input: Uint8Array = bytes;
  for (;;) {
    const out = Buffer.allocUnsafe(ZSTD_CHUNK);
    const [remaining, produced, consumed] = dctx.decompressStream(out, input);
    if (produced === 0 && consumed === 0 && input.length > 0) throw new Error("zstd decoder made no progress");
    total += produced;
    if (total > maxOutput) return undefined;
    if (produced > 0) chunks.push(out.subarray(0, produced));
    input = input.subarray(consumed);
    if (input.length === 0 && (produced < out.length || remaining === 0)) {
      // Same words as zstd-napi's DecompressStream for a frame cut short.
      if (remaining !== 0) throw new Error("Stream ended in middle of compressed data frame");
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    }
  }
}
