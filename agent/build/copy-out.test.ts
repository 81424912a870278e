import type Docker from "dockerode";
import { lstat, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Header, type HeaderData } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyPackagesOut } from "./copy-out.js";

type Entry = HeaderData & { body?: string };

/** A fake container whose getArchive answers a tar of `entries`. */
function containerWith(entries: Entry[]): Docker.Container {
  const blocks: Buffer[] = [];
  for (const { body = "", ...data } of entries) {
    const header = new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(), size: body.length, ...data });
    header.encode();
    blocks.push(header.block!, Buffer.from(body), Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return { getArchive: async () => Readable.from([Buffer.concat(blocks)]) } as unknown as Docker.Container;
}

describe("copyPackagesOut", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "vieter-copy-out-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes only regular package files directly in the out dir", async () => {
    const container = containerWith([
      { path: "out/", type: "Directory", mode: 0o755 },
      { path: "out/hello-1.0-1-any.pkg.tar.zst", type: "File", body: "zst" },
      { path: "out/hello-debug-1.0-1-x86_64.pkg.tar.gz", type: "File", body: "gz" },
      { path: "out/notes.txt", type: "File", body: "not a package" },
      { path: "out/sub/nested-1-1-any.pkg.tar.xz", type: "File", body: "nested" },
      { path: "out/link-1-1-any.pkg.tar.gz", type: "SymbolicLink", linkpath: "/etc/passwd" },
      { path: "out/../../escape-1-1-any.pkg.tar.gz", type: "File", body: "escape" },
    ]);
    const written = await copyPackagesOut(container, "/home/builder/out", join(dir, "packages"));
    expect(written).toEqual([
      join(dir, "packages/hello-1.0-1-any.pkg.tar.zst"),
      join(dir, "packages/hello-debug-1.0-1-x86_64.pkg.tar.gz"),
    ]);
    expect(await readdir(join(dir, "packages"))).toHaveLength(2);
    expect(await readFile(written[0]!, "utf8")).toBe("zst");
    expect((await lstat(written[1]!)).isFile()).toBe(true);
    expect(await readdir(dir)).toEqual(["packages"]);
  });

  it("refuses packages above the size limit", async () => {
    const container = containerWith([{ path: "out/big-1-1-any.pkg.tar", type: "File", body: "x".repeat(2000) }]);
    await expect(copyPackagesOut(container, "/out", dir, 1000)).rejects.toThrow(/exceed 1000 bytes/);
  });
});
