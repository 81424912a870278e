/** Archive files: written once per version, renamed into place, the previous version removed, emptied at start. */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { ArchiveSnapshot } from "./arch-repo-view.js";
import { ArchiveFiles } from "./archive-files.js";

let root: string;
let files: ArchiveFiles;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "vieter-archive-files-"));
  files = new ArchiveFiles(join(root, "archives"), pino({ level: "silent" }));
  await files.init();
});

afterEach(() => rm(root, { recursive: true, force: true }));

function snapshot(serial: number): ArchiveSnapshot {
  return { data: randomBytes(1000 + serial), etag: `"1-${serial}-db"`, lastModified: new Date(serial * 1000) };
}

async function written(name: string, s: ArchiveSnapshot): Promise<string> {
  return vi.waitFor(() => {
    const path = files.pathOf(name, s);
    if (!path) throw new Error("not written yet");
    return path;
  });
}

it("writes a version on its first request and then names its file", async () => {
  const v1 = snapshot(1);
  expect(files.pathOf("core/x86_64/db", v1)).toBeUndefined();
  const path = await written("core/x86_64/db", v1);
  expect((await readFile(path)).equals(v1.data)).toBe(true);
  expect(await readdir(files.dir)).toEqual([path.slice(files.dir.length + 1)]);
});

it("replaces the file of an older version once the newer one is in place", async () => {
  const v1 = snapshot(1);
  files.pathOf("core/x86_64/db", v1);
  const first = await written("core/x86_64/db", v1);
  const v2 = snapshot(2);
  expect(files.pathOf("core/x86_64/db", v2)).toBeUndefined();
  const second = await written("core/x86_64/db", v2);
  expect(second).not.toBe(first);
  expect((await readFile(second)).equals(v2.data)).toBe(true);
  await vi.waitFor(async () => expect(await readdir(files.dir)).toHaveLength(1));
  // The older version is no longer offered: asking for it writes it anew under a new name.
  expect(files.pathOf("core/x86_64/db", v1)).toBeUndefined();
});

it("keeps arch-repos and kinds apart, and forgets an arch-repo's files after its deletion", async () => {
  const [a, b, c] = [snapshot(1), snapshot(2), snapshot(3)];
  files.pathOf("core/x86_64/db", a);
  files.pathOf("core/x86_64/files", b);
  files.pathOf("extra/x86_64/db", c);
  const kept = await written("extra/x86_64/db", c);
  await written("core/x86_64/db", a);
  await written("core/x86_64/files", b);
  await files.forget("core/");
  expect(await readdir(files.dir)).toEqual([kept.slice(files.dir.length + 1)]);
});

it("empties the folder at start", async () => {
  await writeFile(join(files.dir, "core.x86_64.db.7.tar.gz"), "left by an earlier run");
  await files.init();
  expect(await readdir(files.dir)).toEqual([]);
});
