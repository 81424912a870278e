/**
 * Following an open log. A follower first reads the file, then attaches to
 * the writer and receives new chunks as they are appended. If it falls more
 * than its buffer behind (a slow client), it is detached and goes back to
 * reading the file from the byte it reached: it is never dropped and never
 * slows anyone down, and its memory stays bounded.
 */
import { open } from "node:fs/promises";
import type { LogWriter } from "./writer.js";

/** Largest chunk a follower or content reader yields. */
export const CHUNK_BYTES = 64 << 10;

/**
 * The whole content of the open log `writer` (whose file is `path`) from the
 * start, then live output until the log is closed or `signal` aborts.
 */
export async function* followWriter(writer: LogWriter, path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // Opened once: the file may be compressed and unlinked after the log
  // closes, and an open handle still reads it.
  const file = await open(path, "r");
  let offset = 0;
  try {
    for (;;) {
      // From the file, until it holds nothing more for us.
      while (offset < writer.flushed) {
        if (signal?.aborted) return;
        const want = Math.min(CHUNK_BYTES, writer.flushed - offset);
        const buffer = Buffer.allocUnsafe(want);
        const { bytesRead } = await file.read(buffer, 0, want, offset);
        if (bytesRead === 0) throw new Error(`${path} ends at ${offset}, before its ${writer.flushed} written bytes`);
        offset += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
      // Live: attached in the same tick as the check above, so no byte falls between.
      const live = writer.attach(offset);
      try {
        for (;;) {
          const chunk = live.take(CHUNK_BYTES);
          if (chunk) {
            offset += chunk.length;
            yield chunk;
          } else if (live.overflowed) {
            break;
          } else if (live.ended) {
            return;
          } else if (!(await live.wait(signal))) {
            return;
          }
        }
      } finally {
        live.detach();
      }
      // Fell behind: wait until the file holds the next byte, then read on from it.
      await writer.waitFlushed(offset + 1);
    }
  } finally {
    await file.close();
  }
}
