/** Helpers for log tests: jobs in a given state, collecting streams. */
import { crc32 } from "node:zlib";
import { type Job, type JobState, getJob, insertJob } from "../jobs/index.js";
import { JobEntity } from "../store/entities/job.js";
import type { TestContext } from "../testing/app-context.js";

/** Inserts a job for target `targetId` and moves it to `state` (bypassing the state machine, for set-up only). */
export async function jobIn(
  ctx: TestContext,
  state: JobState,
  over: { targetId?: number; arch?: string; agent?: string; cause?: { step: string; message: string } } = {},
): Promise<Job> {
  const em = ctx.store.em.fork();
  const now = ctx.clock.now();
  const job = await insertJob(
    em,
    { targetId: over.targetId ?? 1, arch: over.arch ?? "x86_64", force: false, reason: "manual", dueAt: now },
    now,
  );
  if (state === "queued") return job;
  const agent = over.agent ?? "agent-1";
  await em.nativeUpdate(
    JobEntity,
    { id: job.id },
    {
      state,
      agent,
      dispatchedAt: now,
      startedAt: state === "dispatched" ? null : now,
      endedAt: ["queued", "dispatched", "running"].includes(state) ? null : now,
      causeStep: over.cause?.step ?? "",
      causeMessage: over.cause?.message ?? "",
    },
  );
  return getJob(em, job.id);
}

/** Reads a byte stream to the end. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Reads a byte stream to the end, keeping only its length and CRC-32 (no copies held, cheap per byte). */
export async function digest(source: AsyncIterable<Uint8Array>): Promise<{ bytes: number; crc: number }> {
  let crc = 0;
  let bytes = 0;
  for await (const chunk of source) {
    crc = crc32(chunk, crc);
    bytes += chunk.length;
  }
  return { bytes, crc };
}

/** `n` numbered lines starting at `from`, e.g. "line 00000042 ………\n". */
export function lines(from: number, n: number, width = 60): Buffer {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(`line ${String(i).padStart(8, "0")} `.padEnd(width, "x") + "\n");
  return Buffer.from(out.join(""));
}

/** Resolves after the event loop had a turn (timers included). */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
