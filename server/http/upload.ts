/**
 * Streams a request body to a file, never holding it in memory, and stops at
 * a size limit (413) whether or not the client announced the length. The
 * file is fsynced before it is closed, so publishing need not reopen it.
 */
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError, ResourceExhaustedError } from "../../lib/errors.js";
import type { PlainRequest } from "./route.js";

/** Writes the body of `req` to `path`; removes the file on any failure. */
export async function receiveBody(req: PlainRequest, path: string, maxBytes: number): Promise<number> {
  const announced = req.headers["content-length"];
  if (announced !== undefined && Number(announced) > maxBytes) {
    throw new ResourceExhaustedError(`upload of ${announced} bytes is larger than the limit of ${maxBytes} bytes`);
  }
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes) done(new ResourceExhaustedError(`upload is larger than the limit of ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req as NodeJS.ReadableStream, limiter, createWriteStream(path, { flags: "wx", flush: true }));
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof ResourceExhaustedError) throw err;
    throw new InvalidArgumentError("body", `upload did not complete: ${(err as Error).message}`);
  }
  if (received === 0) {
    await rm(path, { force: true });
    throw new InvalidArgumentError("body", "the upload is empty");
  }
  return received;
}
