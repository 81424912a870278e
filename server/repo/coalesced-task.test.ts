import { describe, expect, it } from "vitest";
import { CoalescedTask } from "./coalesced-task.js";

describe("CoalescedTask", () => {
  it("serves callers that arrive during a run with one next run that starts after it", async () => {
    const runs: { release(): void }[] = [];
    const task = new CoalescedTask(() => new Promise<void>((release) => runs.push({ release })));
    const first = task.run();
    const waiting = [task.run(), task.run(), task.run()];
    expect(runs).toHaveLength(1);
    runs[0]!.release();
    await first;
    // The queued callers asked after the first run began, so it does not count for them.
    await new Promise((r) => setImmediate(r));
    expect(runs).toHaveLength(2);
    runs[1]!.release();
    await Promise.all(waiting);
    expect(runs).toHaveLength(2);
  });

  it("passes a failed run's error to its callers, and runs again afterwards", async () => {
    let calls = 0;
    const task = new CoalescedTask(async () => {
      if (++calls === 1) throw new Error("EIO");
    });
    await expect(task.run()).rejects.toThrow("EIO");
    await task.run();
    expect(calls).toBe(2);
  });
});
