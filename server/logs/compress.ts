/**
 * Compressing closed logs, one at a time in the background: `<job>.log` is
 * gzipped to `.log.gz.tmp`, renamed to `.log.gz`, the row marked, and only
 * then the plain file removed, so a complete copy exists at every moment.
 * A log deleted meanwhile leaves nothing behind. Once stopped (server
 * shutdown) the queue takes nothing more: a log closed after that stays
 * uncompressed until the next start queues it, instead of reaching for a
 * database that is closing.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { Logger } from "pino";
import { BuildLogEntity } from "../store/entities/build-log.js";
import type { Store } from "../store/orm.js";
import type { LogPaths } from "./paths.js";

/** A queue of logs to compress. */
export interface Compressor {
  /** Queues the log `logId` whose files are `paths`. */
  enqueue(logId: number, paths: LogPaths): void;
  /** Resolves when everything queued so far is done. */
  settled(): Promise<void>;
  /** Takes nothing more; resolves when what was queued is done. */
  stop(): Promise<void>;
}

/** A compressor writing through `store`. */
export function createCompressor(store: Store, logger: Logger): Compressor {
  let tail: Promise<void> = Promise.resolve();
  let stopped = false;
  return {
    enqueue(logId, paths) {
      if (stopped) return;
      tail = tail.then(() =>
        compressLog(store, logId, paths).catch((err: unknown) =>
          logger.error({ err, logId }, "compressing a build log failed; it stays uncompressed"),
        ),
      );
    },
    settled: () => tail,
    stop() {
      stopped = true;
      return tail;
    },
  };
}

async function compressLog(store: Store, logId: number, paths: LogPaths): Promise<void> {
  try {
    await pipeline(createReadStream(paths.plain), createGzip(), createWriteStream(paths.temp));
    await rename(paths.temp, paths.gzip);
  } catch (err) {
    await rm(paths.temp, { force: true });
    // Deleted (row and files) while queued or under way: nothing to do.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  const marked = await store.em.fork().nativeUpdate(BuildLogEntity, { id: logId }, { compressed: true });
  if (marked === 0) {
    await rm(paths.gzip, { force: true });
    return;
  }
  await rm(paths.plain, { force: true });
}
