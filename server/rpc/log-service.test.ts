/** LogService over an in-memory transport with a real SQLite file, real log files and a manual clock. */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FailureStep, JobState } from "../../gen/vieter/v1/job_service_pb.js";
import { type ListLogsRequestSchema, LogService } from "../../gen/vieter/v1/log_service_pb.js";
import { jobIn, lines, tick } from "../logs/testing.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { routerClient } from "./testing.js";

let ctx: TestContext;
let client: ReturnType<typeof routerClient<typeof LogService>>;
beforeEach(async () => {
  ctx = await createTestContext();
  client = routerClient(ctx, LogService, TEST_KEY);
});
afterEach(async () => {
  await ctx.dispose();
});

const T = new Date("2026-01-01T00:00:00Z").getTime();
const HOUR = 60 * 60 * 1000;
const start = { targetId: 1, arch: "x86_64", agent: "agent-1" };

async function failure(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail");
}

/** Reads a stream of data messages to the end; returns the byte count. */
async function drain(stream: AsyncIterable<{ data: Uint8Array }>): Promise<number> {
  let bytes = 0;
  for await (const { data } of stream) bytes += data.length;
  return bytes;
}

/** A closed log started at T + `hours`. */
async function log(hours: number, targetId: number, arch: string, exitCode: number, result: "succeeded" | "failed") {
  const job = await jobIn(ctx, "running", { targetId, arch });
  await ctx.logs.openLog(job.id, { targetId, arch, agent: "agent-1", startedAt: new Date(T + hours * HOUR) });
  await ctx.logs.appendLog(job.id, Buffer.from(`exit ${exitCode}\n`));
  return (await ctx.logs.closeLog(job.id, { exitCode, result })).id;
}

describe("ListLogs", () => {
  let l1: number, l2: number, l3: number, l4: number, l5: number;
  beforeEach(async () => {
    l1 = await log(1, 1, "x86_64", 0, "succeeded");
    l2 = await log(2, 1, "x86_64", 1, "failed");
    l3 = await log(3, 2, "aarch64", 2, "failed");
    l4 = await log(4, 2, "x86_64", 3, "failed");
    // A timed-out job: no exit code.
    ctx.clock.set(new Date(T + 5 * HOUR));
    const job = await jobIn(ctx, "timed_out");
    l5 = (await ctx.logs.writeSyntheticLog(job.id, "killed", "timed_out")).id;
  });

  const ids = async (req: MessageInitShape<typeof ListLogsRequestSchema>) =>
    (await client.listLogs(req)).logs.map((l) => Number(l.id));
  const at = (hours: number) => timestampFromDate(new Date(T + hours * HOUR));

  it("lists newest first with a total, and pages", async () => {
    const all = await client.listLogs({});
    expect(all.logs.map((l) => Number(l.id))).toEqual([l5, l4, l3, l2, l1]);
    expect(all.totalCount).toBe(5);
    const page = await client.listLogs({ limit: 2, offset: 1 });
    expect(page.logs.map((l) => Number(l.id))).toEqual([l4, l3]);
    expect(page.totalCount).toBe(5);
  });

  it("ORs included exit codes, ANDs excluded ones (!1,!2 excludes both), and combines the two", async () => {
    expect(await ids({ includeExitCodes: [1, 2] })).toEqual([l3, l2]);
    expect(await ids({ excludeExitCodes: [1, 2] })).toEqual([l5, l4, l1]);
    // "Did not succeed": a log without an exit code (timed out) is included.
    expect(await ids({ excludeExitCodes: [0] })).toEqual([l5, l4, l3, l2]);
    expect(await ids({ includeExitCodes: [1, 2, 3], excludeExitCodes: [2] })).toEqual([l4, l2]);
    expect(await ids({ includeExitCodes: [0], excludeExitCodes: [0] })).toEqual([]);
  });

  it("filters by target, arch and result", async () => {
    expect(await ids({ targetId: 1n })).toEqual([l5, l2, l1]);
    expect(await ids({ arch: "aarch64" })).toEqual([l3]);
    expect(await ids({ targetId: 2n, arch: "x86_64" })).toEqual([l4]);
    expect(await ids({ results: [JobState.FAILED] })).toEqual([l4, l3, l2]);
    expect(await ids({ results: [JobState.TIMED_OUT, JobState.SUCCEEDED] })).toEqual([l5, l1]);
  });

  it("treats before and after as strict bounds on the start time", async () => {
    expect(await ids({ before: at(3) })).toEqual([l2, l1]);
    expect(await ids({ after: at(3) })).toEqual([l5, l4]);
    expect(await ids({ after: at(1), before: at(4) })).toEqual([l3, l2]);
    expect(await ids({ after: at(4), before: at(1) })).toEqual([]);
  });

  it("rejects an unknown result and an oversized page", async () => {
    expect((await failure(client.listLogs({ results: [JobState.UNSPECIFIED] }))).code).toBe(Code.InvalidArgument);
    expect((await failure(client.listLogs({ limit: 5000 }))).code).toBe(Code.InvalidArgument);
  });
});

describe("GetLog and DeleteLog", () => {
  it("returns a log's metadata", async () => {
    const job = await jobIn(ctx, "running", { targetId: 3 });
    await ctx.logs.openLog(job.id, { ...start, targetId: 3 });
    await ctx.logs.appendLog(job.id, Buffer.from("12345"));
    const live = (await client.getLog({ id: BigInt((await ctx.logs.findLogOfJob(job.id))!.id) })).log!;
    expect(live).toMatchObject({ jobId: BigInt(job.id), targetId: 3n, result: JobState.RUNNING, size: 5n });
    expect(live.endTime).toBeUndefined();
    expect(live.exitCode).toBeUndefined();
    ctx.clock.advance(60_000);
    const cause = { step: "build" as const, exitCode: 2, message: "makepkg failed", lastLines: ["==> ERROR"] };
    await ctx.logs.closeLog(job.id, { exitCode: 2, result: "failed", cause });
    const closed = (await client.getLog({ id: live.id })).log!;
    expect(closed).toMatchObject({ exitCode: 2, result: JobState.FAILED, size: 5n, agent: "agent-1" });
    expect(closed.cause).toMatchObject({ step: FailureStep.BUILD, exitCode: 2, message: "makepkg failed" });
    expect(closed.cause!.lastLines).toEqual(["==> ERROR"]);
    expect(Number(closed.endTime!.seconds) - Number(closed.startTime!.seconds)).toBe(60);
    expect((await failure(client.getLog({ id: 999n }))).code).toBe(Code.NotFound);
  });

  it("deletes row and file together, also when the file is already gone", async () => {
    const id = await log(1, 1, "x86_64", 0, "succeeded");
    const other = await log(2, 1, "x86_64", 0, "succeeded");
    await ctx.logs.settled();
    const jobId = (await ctx.logs.getLog(id)).jobId;
    rmSync(join(ctx.dataDir, "logs", `${jobId}.log.gz`));
    await client.deleteLog({ id: BigInt(id) });
    expect((await failure(client.getLog({ id: BigInt(id) }))).code).toBe(Code.NotFound);
    await client.deleteLog({ id: BigInt(other) });
    expect(readdirSync(join(ctx.dataDir, "logs"))).toEqual([]);
    expect((await failure(client.deleteLog({ id: BigInt(id) }))).code).toBe(Code.NotFound);
  });

  it("refuses to delete a log that is still being written", async () => {
    const job = await jobIn(ctx, "running");
    const { id } = await ctx.logs.openLog(job.id, start);
    expect((await failure(client.deleteLog({ id: BigInt(id) }))).code).toBe(Code.FailedPrecondition);
  });

  it("requires the admin key", async () => {
    const anonymous = routerClient(ctx, LogService);
    expect((await failure(anonymous.listLogs({}))).code).toBe(Code.Unauthenticated);
    expect((await failure(drain(anonymous.getLogContent({ id: 1n })))).code).toBe(Code.Unauthenticated);
  });
});

describe("GetLogContent", () => {
  it("streams a 100 MB log in 64 KiB chunks without the server's memory growing by that much", async () => {
    const job = await jobIn(ctx, "running");
    const { id } = await ctx.logs.openLog(job.id, start);
    const MiB = 1 << 20;
    let written = 0;
    for (let i = 0; written < 100 * MiB; i++) {
      const chunk = lines(i * (MiB / 64), MiB / 64, 64);
      await ctx.logs.appendLog(job.id, chunk);
      written += chunk.length;
    }
    await ctx.logs.closeLog(job.id, { exitCode: 0, result: "succeeded" });
    await ctx.logs.settled(); // compressed: the stream gunzips on the fly

    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    let bytes = 0;
    let chunks = 0;
    let largest = 0;
    for await (const { data } of client.getLogContent({ id: BigInt(id) })) {
      bytes += data.length;
      largest = Math.max(largest, data.length);
      if (++chunks % 64 === 0) {
        const now = process.memoryUsage();
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed);
      }
    }
    expect(bytes).toBe(written);
    expect(largest).toBeLessThanOrEqual(64 * 1024);
    // Holding the log whole would add ≥ 100 MiB; under a loaded machine native gunzip buffers and
    // late GC alone reached 46 MiB of RSS once, so the RSS bound leaves room and the heap bound stays tight.
    expect(peakRss - before.rss).toBeLessThan(64 * MiB);
    expect(peakHeap - before.heapUsed).toBeLessThan(40 * MiB);
  });

  it("streams an open log's content so far, and NotFound once the file is gone", async () => {
    const job = await jobIn(ctx, "running");
    const { id } = await ctx.logs.openLog(job.id, start);
    await ctx.logs.appendLog(job.id, Buffer.from("so far\n"));
    expect(await drain(client.getLogContent({ id: BigInt(id) }))).toBe(7);
    await ctx.logs.closeLog(job.id, { exitCode: 0, result: "succeeded" });
    await ctx.logs.settled();
    rmSync(join(ctx.dataDir, "logs", `${job.id}.log.gz`));
    expect((await failure(drain(client.getLogContent({ id: BigInt(id) })))).code).toBe(Code.NotFound);
    expect((await failure(drain(client.getLogContent({ id: 999n })))).code).toBe(Code.NotFound);
  });
});

describe("FollowLog", () => {
  it("follows by job id from before the build starts to its end", async () => {
    const job = await jobIn(ctx, "dispatched");
    const received: string[] = [];
    const followed = (async () => {
      for await (const { data } of client.followLog({ jobId: BigInt(job.id) }))
        received.push(Buffer.from(data).toString());
    })();
    await tick(50);
    await ctx.logs.openLog(job.id, start);
    for (let i = 0; i < 5; i++) {
      await ctx.logs.appendLog(job.id, Buffer.from(`step ${i}\n`));
      await tick(10);
    }
    await ctx.logs.closeLog(job.id, { exitCode: 0, result: "succeeded" });
    await followed;
    expect(received.join("")).toBe("step 0\nstep 1\nstep 2\nstep 3\nstep 4\n");
  });

  it("follows by log id, and stops the server side when the client goes away", async () => {
    const job = await jobIn(ctx, "running");
    const { id } = await ctx.logs.openLog(job.id, start);
    await ctx.logs.appendLog(job.id, Buffer.from("first\n"));
    const controller = new AbortController();
    const stream = client.followLog({ id: BigInt(id) }, { signal: controller.signal });
    const first = await stream[Symbol.asyncIterator]().next();
    expect(Buffer.from(first.value!.data).toString()).toBe("first\n");
    expect(ctx.logs.liveFollowers(job.id)).toBe(1);
    controller.abort();
    await vi.waitFor(() => expect(ctx.logs.liveFollowers(job.id)).toBe(0));
  });

  it("needs a log id or a job id", async () => {
    expect((await failure(drain(client.followLog({})))).code).toBe(Code.InvalidArgument);
    expect((await failure(drain(client.followLog({ id: 5n })))).code).toBe(Code.NotFound);
  });
});
