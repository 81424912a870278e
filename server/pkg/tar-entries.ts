/**
 * Feeds decompressed bytes through node-tar's parser and hands every archive
 * entry to a callback. node-tar rather than a smaller parser because it caps
 * the metadata it buffers (pax headers, GNU long names), which a hostile
 * archive could otherwise inflate to gigabytes in memory.
 */
import { Parser, type ReadEntry } from "tar";
import { InvalidPackageError } from "./errors.js";

/** Largest pax header or GNU long name accepted, in bytes. */
export const MAX_META_ENTRY_BYTES = 1024 * 1024;

/**
 * Called for each entry, in archive order. The callback must consume or
 * `resume()` the entry's data; if it throws, parsing stops with that error.
 */
export type TarEntryHandler = (entry: ReadEntry) => void;

/**
 * Parses a tar stream. Resolves when the archive ends; rejects with an
 * {@link InvalidPackageError} (`corrupt_archive`) for a damaged or truncated
 * archive, or with whatever the handler threw.
 */
export async function readTarEntries(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onEntry: TarEntryHandler,
): Promise<void> {
  // strict: every node-tar warning (bad checksum, truncation, …) is an error;
  // zstd: false, so decompressed data that happens to look like zstd is not
  // decompressed a second time.
  const parser = new Parser({ strict: true, zstd: false, maxMetaEntrySize: MAX_META_ENTRY_BYTES });
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
  };
  const handle = (entry: ReadEntry) => {
    if (failure !== undefined) return void entry.resume();
    try {
      onEntry(entry);
    } catch (error) {
      fail(error);
      entry.resume();
    }
  };
  parser.on("entry", handle);
  parser.on("ignoredEntry", (entry: ReadEntry) => {
    // node-tar skips metadata over the limit and entry types it does not
    // know; libarchive lists the latter as regular files, so we do too.
    if (entry.meta) fail(damaged(`a tar metadata entry is larger than ${MAX_META_ENTRY_BYTES} bytes`));
    else handle(entry);
  });
  const settled = new Promise<void>((resolve) => {
    parser.on("end", resolve);
    parser.on("error", (error: Error) => {
      fail(damaged(error.message));
      resolve();
    });
  });

  for await (const chunk of source) {
    const flowing = parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (failure !== undefined) throw failure;
    if (!flowing) await Promise.race([new Promise((resolve) => parser.once("drain", resolve)), settled]);
  }
  parser.end();
  await settled;
  if (failure !== undefined) throw failure;
}

function damaged(detail: string): InvalidPackageError {
  return new InvalidPackageError("corrupt_archive", `archive is damaged: ${detail}`);
}
