/**
 * Publishing built packages: the agent (never the build container) uploads
 * each file to `POST /<repo>/publish` with its own token, streaming from disk.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";

/** Why a publish failed, and whether trying again may help. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/**
 * Publishing stopped because its signal aborted (the job was cancelled).
 * `published` are in the repository and stay there; `unpublished` are not
 * (an upload cut short is discarded by the server, which keeps only whole
 * files).
 */
export class PublishCancelledError extends Error {
  constructor(
    readonly published: readonly string[],
    readonly unpublished: readonly string[],
  ) {
    super(`publishing stopped with ${published.length} of ${published.length + unpublished.length} file(s) published`);
  }
}

/**
 * Pauses between the attempts at one file when publishing failed transiently
 * (no connection, a 5xx): together they outlast a server restart, and a
 * build is far dearer than a wait.
 */
export const PUBLISH_RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 15_000];

/** How to publish. */
export interface PublishOptions {
  /** Stops publishing, the upload under way included: PublishCancelledError. */
  readonly signal?: AbortSignal;
  readonly retryDelaysMs?: readonly number[];
  /** Told about each failed attempt that will be retried. */
  readonly onRetry?: (err: PublishError, delayMs: number) => void;
}

/**
 * Uploads `files` to `repo` on the server at `address`, one after the other;
 * a file whose upload fails transiently is tried again after each delay.
 * Throws the PublishError of the file that could not be published, or
 * PublishCancelledError once `options.signal` aborts.
 */
export async function publishPackages(
  address: string,
  token: string,
  repo: string,
  files: readonly string[],
  options: PublishOptions = {},
): Promise<void> {
  const delays = options.retryDelaysMs ?? PUBLISH_RETRY_DELAYS_MS;
  const { signal } = options;
  for (const [i, file] of files.entries()) {
    const cancelled = () => new PublishCancelledError(files.slice(0, i), files.slice(i));
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancelled();
      try {
        await publishOne(address, token, repo, file, signal);
        break;
      } catch (err) {
        if (signal?.aborted) throw cancelled();
        const delay = delays[attempt];
        if (!(err instanceof PublishError) || !err.transient || delay === undefined) throw err;
        options.onRetry?.(err, delay);
        await sleep(delay, signal);
      }
    }
  }
}

async function publishOne(
  address: string,
  token: string,
  repo: string,
  file: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const size = (await stat(file)).size;
  let res: Response;
  try {
    res = await fetch(`${address.replace(/\/+$/, "")}/${encodeURIComponent(repo)}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-length": String(size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: "half",
      ...(signal ? { signal } : {}),
    } as RequestInit);
  } catch (err) {
    throw new PublishError(`publishing ${file} failed: ${(err as Error).message}`, true);
  }
  if (!res.ok) {
    const body = (await res.text()).slice(0, 500);
    throw new PublishError(`the server refused ${file} with ${res.status}: ${body}`, res.status >= 500);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
