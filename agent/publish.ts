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

/** Uploads `files` to `repo` on the server at `address`. */
export async function publishPackages(
  address: string,
  token: string,
  repo: string,
  files: readonly string[],
): Promise<void> {
  for (const file of files) {
    const size = (await stat(file)).size;
    let res: Response;
    try {
      res = await fetch(`${address.replace(/\/+$/, "")}/${encodeURIComponent(repo)}/publish`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-length": String(size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: "half",
      } as RequestInit);
    } catch (err) {
      throw new PublishError(`publishing ${file} failed: ${(err as Error).message}`, true);
    }
    if (!res.ok) {
      const body = (await res.text()).slice(0, 500);
      throw new PublishError(`the server refused ${file} with ${res.status}: ${body}`, res.status >= 500);
    }
  }
}
