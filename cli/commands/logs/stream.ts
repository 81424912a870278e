/**
 * Copies a streamed log (GetLogContent, FollowLog) to a text stream as it
 * arrives. Bytes are decoded as UTF-8 across chunk boundaries.
 */
import { LogService } from "../../../gen/vieter/v1/log_service_pb.js";
import type { CliContext } from "../../context.js";

type Writable = { write(text: string): unknown };

/** Writes every chunk of `chunks` to `to`. */
export async function copyLog(chunks: AsyncIterable<{ data: Uint8Array }>, to: Writable): Promise<void> {
  const decoder = new TextDecoder();
  for await (const { data } of chunks) {
    const text = decoder.decode(data, { stream: true });
    if (text !== "") to.write(text);
  }
  const rest = decoder.decode();
  if (rest !== "") to.write(rest);
}

/**
 * Follows a log, named by log id or by job id, until its job ends. The call
 * is aborted afterwards: a finished stream alone does not free the request.
 */
export async function followLog(ctx: CliContext, by: { id?: bigint; jobId?: bigint }, to: Writable): Promise<void> {
  const stop = new AbortController();
  try {
    const chunks = ctx
      .connection()
      .client(LogService)
      .followLog({ id: by.id ?? 0n, jobId: by.jobId ?? 0n }, { signal: stop.signal });
    await copyLog(chunks, to);
  } finally {
    stop.abort();
  }
}
