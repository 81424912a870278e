import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileCache } from "./file-cache.js";

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vieter-file-cache-"));
  for (const [name, size] of [
    ["a", 40],
    ["b", 40],
    ["c", 40],
    ["big", 100],
  ] as const) {
    await writeFile(file(name), Buffer.alloc(size, name));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("FileCache", () => {
  it("reads a file once and then answers from memory", async () => {
    const cache = new FileCache(100, 50);
    expect((await cache.read(file("a"), 40))?.toString()).toBe("a".repeat(40));
    await rm(file("a"));
    // Gone from disk, still served: pool files never change, so the copy stays right.
    expect((await cache.read(file("a"), 40))?.toString()).toBe("a".repeat(40));
    await writeFile(file("a"), Buffer.alloc(40, "a"));
  });

  it("leaves files above the per-file limit to the caller", async () => {
    const cache = new FileCache(1000, 50);
    expect(await cache.read(file("big"), 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts the least recently used file to stay within its budget", async () => {
    const cache = new FileCache(100, 50);
    await cache.read(file("a"), 40);
    await cache.read(file("b"), 40);
    await cache.read(file("a"), 40); // a is now the most recent
    await cache.read(file("c"), 40); // b goes
    expect(cache.size).toBe(80);
    await rm(file("b"));
    await expect(cache.read(file("b"), 40)).rejects.toThrow(/ENOENT/);
    expect((await cache.read(file("a"), 40))?.length).toBe(40);
  });

  it("passes a read error on and does not keep it", async () => {
    const cache = new FileCache(100, 50);
    await expect(cache.read(file("missing"), 10)).rejects.toThrow(/ENOENT/);
    await writeFile(file("missing"), "now here!!");
    expect((await cache.read(file("missing"), 10))?.toString()).toBe("now here!!");
  });
});
