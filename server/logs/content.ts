/**
 * Reading a log's stored content without loading it whole: the file is read
 * in {@link CHUNK_BYTES} pieces (and gunzipped on the fly when compressed),
 * at the pace the consumer takes them.
 */
import { type FileHandle, open } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { CHUNK_BYTES } from "./follow.js";
import type { LogPaths } from "./paths.js";

/** An opened content file; `close` it if it is not read to the end. */
export interface ContentFile {
  /** Whether the file holds gzip (the log was compressed after it closed). */
  readonly gzip: boolean;
  /** Bytes of the file as stored (compressed size when `gzip`). */
  readonly storedSize: number;
  /** The content, decompressed unless `raw` asks for the stored bytes; closes the file when done. */
  read(raw?: boolean): AsyncGenerator<Buffer>;
  close(): Promise<void>;
}

/**
 * Opens whichever file holds the content, or undefined when neither does.
 * Compression writes `.gz` completely before it removes the plain file, so
 * trying `.gz`, then plain, then `.gz` again always finds a complete copy.
 */
export async function openContentFile(paths: LogPaths): Promise<ContentFile | undefined> {
  for (const [path, gzip] of [
    [paths.gzip, true],
    [paths.plain, false],
    [paths.gzip, true],
  ] as const) {
    const file = await openIfExists(path);
    if (file) return contentFile(file, gzip, (await file.stat()).size);
  }
  return undefined;
}

function contentFile(file: FileHandle, gzip: boolean, storedSize: number): ContentFile {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.close();
  };
  return {
    gzip,
    storedSize,
    close,
    async *read(raw = false) {
      try {
        if (gzip && !raw) {
          const source = file.createReadStream({ autoClose: false, highWaterMark: CHUNK_BYTES });
          const gunzip = pipeline(source, createGunzip({ chunkSize: CHUNK_BYTES }), () => undefined);
          try {
            for await (const chunk of gunzip) yield chunk as Buffer;
          } finally {
            gunzip.destroy();
          }
          return;
        }
        // Read up to the size seen at open: a log still being written keeps growing.
        for (let offset = 0; offset < storedSize;) {
          const want = Math.min(CHUNK_BYTES, storedSize - offset);
          const buffer = Buffer.allocUnsafe(want);
          const { bytesRead } = await file.read(buffer, 0, want, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await close();
      }
    },
  };
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
