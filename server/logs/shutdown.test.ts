/** Logs at shutdown: compression under way finishes, later closes wait for the next start. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogs } from "./logs.js";
import { jobIn } from "./testing.js";
import { type TestContext, createTestContext } from "../testing/app-context.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

async function closedLog(logs = ctx.logs): Promise<{ jobId: number; logId: number }> {
  const job = await jobIn(ctx, "running");
  await logs.openLog(job.id, { targetId: 1, arch: "x86_64", agent: "a" });
  await logs.appendLog(job.id, Buffer.from(`output of job ${job.id}\n`));
  const log = await logs.closeLog(job.id, { result: "succeeded", exitCode: 0 });
  return { jobId: job.id, logId: log.id };
}

const file = (jobId: number, suffix: string) => join(ctx.dataDir, "logs", `${jobId}${suffix}`);
const compressed = async (logId: number) =>
  (await ctx.store.em.fork().getConnection().execute("select compressed from build_log where id = ?", [logId]))[0]
    .compressed;

describe("logs shutdown", () => {
  it("finishes the compression under way, and leaves a log closed afterwards for the next start", async () => {
    const before = await closedLog();
    await ctx.logs.shutdown();
    // Queued before the shutdown: compressed, the plain file gone.
    expect(existsSync(file(before.jobId, ".log.gz"))).toBe(true);
    expect(existsSync(file(before.jobId, ".log"))).toBe(false);

    // Closed after it (e.g. an agent's last report while the server stops): nothing is
    // queued that would reach for the database once it is closed.
    const after = await closedLog();
    await ctx.logs.settled();
    expect(existsSync(file(after.jobId, ".log"))).toBe(true);
    expect(await compressed(after.logId)).toBe(0);

    // The next start queues it.
    const next = await createLogs({ ...ctx, dataDir: ctx.dataDir });
    await next.settled();
    expect(existsSync(file(after.jobId, ".log.gz"))).toBe(true);
    expect(existsSync(file(after.jobId, ".log"))).toBe(false);
    expect(await compressed(after.logId)).toBe(1);
    await next.shutdown();
  });
});
