/**
 * Streams a request body to a file, never holding it in memory, and stops at
 * a size limit (413) whether or not the client announced the length. The
 * file is fsynced before it is closed, so publishing need not reopen it.
 * A body of at most `keepBytes` is also kept as received, so the publish can
 * parse it without reading the file back; when its length is announced, it
 * is collected first and written with one call (no stream machinery).
 */
import { createWriteStream, writeFile } from "node:fs";
import { rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError, ResourceExhaustedError } from "../../lib/errors.js";
import type { PlainRequest } from "./route.js";

/** A received body: its size, and its bytes when it was small enough to keep. */
export interface ReceivedBody {
  readonly size: number;
  readonly bytes: Buffer | undefined;
}

/** Writes the body of `req` to `path`; removes the file on any failure. */
export async function receiveBody(
  req: PlainRequest,
  path: string,
  maxBytes: number,
  keepBytes = 0,
): Promise<ReceivedBody> {
  const announced = req.headers["content-length"];
  if (announced !== undefined && Number(announced) > maxBytes) {
    throw new ResourceExhaustedError(`upload of ${announced} bytes is larger than the limit of ${maxBytes} bytes`);
  }
  if (announced !== undefined && Number(announced) > 0 && Number(announced) <= keepBytes) {
    const bytes = await collectBody(req, Number(announced));
    await new Promise<void>((resolve, reject) =>
      writeFile(path, bytes, { flag: "wx", flush: true }, (err) => (err ? reject(err) : resolve())),
    ).catch(async (err: unknown) => {
      await rm(path, { force: true });
      throw err;
    });
    return { size: bytes.length, bytes };
  }
  let received = 0;
  // Dropped (set to undefined) as soon as the body outgrows keepBytes.
  let kept: Buffer[] | undefined = keepBytes > 0 ? [] : undefined;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes)
        return done(new ResourceExhaustedError(`upload is larger than the limit of ${maxBytes} bytes`));
      if (kept && received <= keepBytes) kept.push(chunk);
      else kept = undefined;
      done(null, chunk);
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
  return { size: received, bytes: kept && (kept.length === 1 ? kept[0] : Buffer.concat(kept, received)) };
}

/** The whole body of a request that announced `length` bytes; refuses a body that ends early or runs long. */
function collectBody(req: PlainRequest, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (message: string) => {
      req.removeListener("data", onData);
      reject(new InvalidArgumentError("body", `upload did not complete: ${message}`));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > length) return fail(`more than the announced ${length} bytes`);
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("error", (err: Error) => fail(err.message));
    req.once("close", () => {
      if (received < length) fail(`${received} of the announced ${length} bytes arrived`);
    });
    req.once("end", () => {
      if (received !== length) return fail(`${received} of the announced ${length} bytes arrived`);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
  });
}
