import { describe, expect, it } from "vitest";
import { KeyedMutex } from "./keyed-mutex.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("KeyedMutex", () => {
  it("serialises one key and never overlaps", async () => {
    const m = new KeyedMutex();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        m.withKeys(["a"], async () => {
          inside++;
          most = Math.max(most, inside);
          await tick();
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("runs different keys in parallel", async () => {
    const m = new KeyedMutex();
    let inside = 0;
    let most = 0;
    await Promise.all(
      ["a", "b", "c"].map((k) =>
        m.withKeys([k], async () => {
          inside++;
          most = Math.max(most, inside);
          await tick();
          inside--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it("takes several keys without deadlock and releases on error", async () => {
    const m = new KeyedMutex();
    const results = await Promise.allSettled([
      m.withKeys(["a", "b"], async () => {
        await tick();
        throw new Error("boom");
      }),
      m.withKeys(["b", "a"], async () => "second"),
      m.withKeys(["a"], async () => "third"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
  });
});
