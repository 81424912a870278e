/** Writing and following logs: before the build starts, mid-build, many followers, a slow one. */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogs } from "./logs.js";
import type { Logs } from "./logs.js";
import { collect, digest, jobIn, lines, tick } from "./testing.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

const start = { targetId: 1, arch: "x86_64", agent: "agent-1" };
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("following a log", () => {
  it("follows a job from before its build starts to its end", async () => {
    const job = await jobIn(ctx, "queued");
    const followed = collect(ctx.logs.followJobLog(job.id));
    await tick(20);
    await ctx.logs.openLog(job.id, start);
    const expected: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const chunk = lines(i * 50, 50);
      expected.push(chunk);
      await ctx.logs.appendLog(job.id, chunk);
      await tick(i % 5 === 0 ? 5 : 0);
    }
    await ctx.logs.closeLog(job.id, { result: "succeeded", exitCode: 0 });
    expect(sha(await followed)).toBe(sha(Buffer.concat(expected)));
  });

  it("joins mid-build: gets what exists, then the rest, and ends at close", async () => {
    const job = await jobIn(ctx, "running");
    await ctx.logs.openLog(job.id, start);
    const before = lines(0, 5000);
    await ctx.logs.appendLog(job.id, before);
    const followed = collect(ctx.logs.followJobLog(job.id));
    const after = lines(5000, 5000);
    for (let i = 0; i < after.length; i += 4096) await ctx.logs.appendLog(job.id, after.subarray(i, i + 4096));
    await ctx.logs.closeLog(job.id, { result: "failed", exitCode: 1 });
    expect(sha(await followed)).toBe(sha(Buffer.concat([before, after])));
    // By log id too, once closed (and after compression).
    await ctx.logs.settled();
    const log = (await ctx.logs.findLogOfJob(job.id))!;
    expect(log).toMatchObject({ result: "failed", exitCode: 1, size: before.length + after.length });
    expect(sha(await collect(ctx.logs.followLog(log.id)))).toBe(sha(Buffer.concat([before, after])));
  });

  it("ends quietly when the follower's signal aborts", async () => {
    const job = await jobIn(ctx, "running");
    await ctx.logs.openLog(job.id, start);
    await ctx.logs.appendLog(job.id, lines(0, 10));
    const controller = new AbortController();
    const followed = collect(ctx.logs.followJobLog(job.id, controller.signal));
    await tick(20);
    expect(ctx.logs.liveFollowers(job.id)).toBe(1);
    controller.abort();
    expect((await followed).length).toBe(lines(0, 10).length);
    expect(ctx.logs.liveFollowers(job.id)).toBe(0);
  });

  it("refuses a job that ended without an agent, and an unknown job", async () => {
    const cancelled = await jobIn(ctx, "cancelled", { agent: "" });
    await expect(collect(ctx.logs.followJobLog(cancelled.id))).rejects.toThrow(/before an agent took it/);
    await expect(collect(ctx.logs.followJobLog(9999))).rejects.toThrow(/job 9999 does not exist/);
  });
});

describe("many followers", () => {
  it("serves 50 followers; a slow one goes back to the file without slowing the writer or the others", async () => {
    const limit = 64 << 10;
    const logs: Logs = await createLogs({ ...ctx, options: { followerBufferBytes: limit } });
    const job = await jobIn(ctx, "running");
    await logs.openLog(job.id, start);

    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const slow = (async () => {
      const parts: Buffer[] = [];
      let first = true;
      for await (const chunk of logs.followJobLog(job.id)) {
        parts.push(chunk);
        if (first) await released; // stalls after the first chunk until the build is over
        first = false;
      }
      return Buffer.concat(parts);
    })();
    const fast = Array.from({ length: 49 }, () => digest(logs.followJobLog(job.id)));
    await tick(20);
    expect(logs.liveFollowers(job.id)).toBe(50);

    // 8 MiB in 4 KiB appends, arriving like network reads, while the slow follower holds on to its first chunk.
    const content = lines(0, (8 << 20) / 64, 64);
    await logs.appendLog(job.id, content.subarray(0, 4096));
    await tick(20);
    for (let i = 4096; i < content.length; i += 4096) {
      await logs.appendLog(job.id, content.subarray(i, i + 4096));
      await new Promise((r) => setImmediate(r));
    }
    // The slow follower was detached once it was `limit` behind; the others stayed live.
    expect(logs.liveFollowers(job.id)).toBe(49);
    await logs.closeLog(job.id, { result: "succeeded", exitCode: 0 });
    const expected = { bytes: content.length, crc: crc32(content) };
    for (const r of await Promise.all(fast)) expect(r).toEqual(expected);

    // Released after the others are done, it still gets every byte, from the file.
    release();
    expect(sha(await slow)).toBe(sha(content));
    await logs.shutdown();
  });
});

describe("writing", () => {
  it("needs an open log, and opening is idempotent", async () => {
    const job = await jobIn(ctx, "running");
    await expect(ctx.logs.appendLog(job.id, Buffer.from("x"))).rejects.toThrow(/not open/);
    const a = await ctx.logs.openLog(job.id, start);
    const b = await ctx.logs.openLog(job.id, start);
    expect(b.id).toBe(a.id);
    await ctx.logs.closeLog(job.id, { result: "succeeded", exitCode: 0 });
    await expect(ctx.logs.openLog(job.id, start)).rejects.toThrow(/closed already/);
    await expect(ctx.logs.closeLog(job.id, { result: "failed" })).rejects.toThrow(/not open|closed already/);
  });

  it("resumes a log a restart left open, appending to what was written", async () => {
    const job = await jobIn(ctx, "running");
    await ctx.logs.openLog(job.id, start);
    await ctx.logs.appendLog(job.id, Buffer.from("before restart\n"));
    await ctx.logs.shutdown();
    const restarted = await createLogs({ ...ctx });
    await restarted.openLog(job.id, start);
    await restarted.appendLog(job.id, Buffer.from("after restart\n"));
    const log = await restarted.closeLog(job.id, { result: "succeeded", exitCode: 0 });
    expect((await collect(restarted.readContent(log.id))).toString()).toBe("before restart\nafter restart\n");
    await restarted.shutdown();
  });

  it("truncates a runaway log at the limit and says so", async () => {
    const logs = await createLogs({ ...ctx, options: { maxLogBytes: 1000 } });
    const job = await jobIn(ctx, "running");
    await logs.openLog(job.id, start);
    for (let i = 0; i < 10; i++) await logs.appendLog(job.id, lines(i * 10, 10));
    const log = await logs.closeLog(job.id, { result: "failed", exitCode: 1 });
    const text = (await collect(logs.readContent(log.id))).toString();
    expect(text.startsWith(lines(0, 10).toString().slice(0, 600))).toBe(true);
    expect(text).toMatch(/\[vieter\] log truncated: it reached 1000 bytes/);
    expect(log.size).toBe(text.length);
    await logs.shutdown();
  });
});
