import { describe, expect, it } from "vitest";
import { GroupCommitter, type Outcome } from "./group-commit.js";

/** A promise and the function that settles it, to hold a commit open. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe("GroupCommitter", () => {
  it("commits a lone job at once, and batches what arrives while a commit runs", async () => {
    const batches: string[][] = [];
    const first = gate();
    const c = new GroupCommitter<string, string>(async (_key, jobs) => {
      batches.push([...jobs]);
      if (batches.length === 1) await first.opened;
      return jobs.map((j) => ({ value: `${j}!` }));
    });
    const a = c.submit("k", "a");
    expect(batches).toEqual([["a"]]);
    const rest = ["b", "c", "d"].map((j) => c.submit("k", j));
    first.open();
    expect(await Promise.all([a, ...rest])).toEqual(["a!", "b!", "c!", "d!"]);
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
  });

  it("keeps keys apart: another key's commit does not wait", async () => {
    const held = gate();
    const c = new GroupCommitter<string, string>(async (key, jobs) => {
      if (key === "slow") await held.opened;
      return jobs.map((j) => ({ value: j }));
    });
    const slow = c.submit("slow", "s");
    expect(await c.submit("fast", "f")).toBe("f");
    held.open();
    expect(await slow).toBe("s");
  });

  it("gives each job its own outcome, and a thrown commit to the whole batch", async () => {
    const c = new GroupCommitter<number, number>(async (_key, jobs) => {
      if (jobs.includes(13)) throw new Error("disk on fire");
      return jobs.map((j): Outcome<number> => (j % 2 ? { error: new Error(`odd ${j}`) } : { value: j * 10 }));
    });
    const results = await Promise.allSettled([c.submit("k", 2), c.submit("k", 3), c.submit("k", 4)]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      20,
      "odd 3",
      40,
    ]);
    await expect(c.submit("k", 13)).rejects.toThrow("disk on fire");
    expect(await c.submit("k", 6)).toBe(60);
  });

  it("caps a batch at maxBatch jobs", async () => {
    const sizes: number[] = [];
    const first = gate();
    const c = new GroupCommitter<number, number>(async (_key, jobs) => {
      sizes.push(jobs.length);
      if (sizes.length === 1) await first.opened;
      return jobs.map((j) => ({ value: j }));
    }, 3);
    const all = Array.from({ length: 8 }, (_, i) => c.submit("k", i));
    first.open();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });
});
