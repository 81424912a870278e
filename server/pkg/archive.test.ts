import { readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ResourceExhaustedError } from "../../lib/errors.js";
import { type ArchiveLimits, type PackageArchive, readPackageArchive } from "./archive.js";
import { readPackageBytes } from "./archive-bytes.js";
import { InvalidPackageError, type PackageProblem } from "./errors.js";
import { readPackageFile } from "./read-package.js";
import { seededRandom } from "./testing/random.js";
import { bsdtarFileList, MINIMAL_PKGINFO, tarTree } from "./testing/tar-fixture.js";
import { cleanupTempDirs, tempDir } from "./testing/temp-dirs.js";

const COMPRESSIONS = ["zstd", "xz", "gzip", "none"] as const;

/** Both ways a package is read: streamed from its file, and from an upload kept in memory. */
const READERS: [string, (path: string, limits?: Partial<ArchiveLimits>) => Promise<PackageArchive>][] = [
  ["readPackageArchive", readPackageArchive],
  ["readPackageBytes", async (path, limits) => readPackageBytes(await readFile(path), limits)],
];

afterAll(cleanupTempDirs);

async function problemOf(promise: Promise<unknown>): Promise<{ problem: PackageProblem; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidPackageError);
  const { problem, message } = error as InvalidPackageError;
  return { problem, message };
}

function randomBytes(length: number, seed: number): Buffer {
  const rng = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(rng() * 256)));
}

async function fileWith(content: Uint8Array | string): Promise<string> {
  const path = join(await tempDir(), "upload");
  await writeFile(path, content);
  return path;
}

describe.each(READERS)("%s", (_reader, readPackageArchive) => {
  it.each(COMPRESSIONS)("reads a %s package and lists its entries", async (compression) => {
    const path = await tarTree(
      { ".PKGINFO": MINIMAL_PKGINFO, "usr/bin/demo": "#!/bin/sh\n", "etc/": "" },
      { compression },
    );
    const archive = await readPackageArchive(path);
    expect(archive.compression).toBe(compression);
    expect(archive.pkginfo).toBe(MINIMAL_PKGINFO);
    expect(archive.files).toEqual(["etc/", "usr/", "usr/bin/", "usr/bin/demo"]);
    expect(archive.files).toEqual(await bsdtarFileList(path));
  });

  it("rejects an empty file", async () => {
    expect(await problemOf(readPackageArchive(await fileWith("")))).toEqual({
      problem: "empty_file",
      message: "package: file is empty",
    });
  });

  it.each([
    ["random bytes", () => fileWith(randomBytes(4096, 1))],
    ["a short text file", () => fileWith("hello")],
    ["a bzip2 package", () => tarTree({ ".PKGINFO": MINIMAL_PKGINFO }, { compression: "bzip2" })],
  ])("rejects %s as an unsupported compression", async (_, make) => {
    const { problem, message } = await problemOf(readPackageArchive(await make()));
    expect(problem).toBe("unsupported_compression");
    expect(message).toMatch(/^package: unsupported compression: /);
  });

  it("rejects a tar without .PKGINFO", async () => {
    const path = await tarTree({ "usr/bin/demo": "x" });
    expect(await problemOf(readPackageArchive(path))).toEqual({
      problem: "missing_pkginfo",
      message: "package: archive has no .PKGINFO; is it a pacman package?",
    });
  });

  it("rejects a .PKGINFO that is a directory", async () => {
    const path = await tarTree({ ".PKGINFO/": "", "usr/x": "x" });
    expect((await problemOf(readPackageArchive(path))).problem).toBe("missing_pkginfo");
  });

  it.each(COMPRESSIONS)("rejects a truncated %s archive", async (compression) => {
    const path = await tarTree({ ".PKGINFO": MINIMAL_PKGINFO, "usr/blob": randomBytes(200_000, 2) }, { compression });
    const { size } = await import("node:fs/promises").then((fs) => fs.stat(path));
    await truncate(path, Math.floor(size / 2));
    const { problem, message } = await problemOf(readPackageArchive(path));
    expect(problem).toBe("corrupt_archive");
    expect(message).toMatch(/corrupt|damaged/);
  });

  it.each([
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
    ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ["gzip", [0x1f, 0x8b, 0x08, 0x00]],
  ])("rejects %s magic followed by garbage", async (_, magic) => {
    const path = await fileWith(Buffer.concat([Buffer.from(magic), randomBytes(2000, 3)]));
    expect((await problemOf(readPackageArchive(path))).problem).toBe("corrupt_archive");
  });

  it("rejects compressed data that is not a tar archive", async () => {
    const dir = await tempDir();
    const { run } = await import("./testing/exec.js");
    await writeFile(join(dir, "data"), randomBytes(5000, 4));
    await run("gzip", ["-k", join(dir, "data")]);
    const { problem, message } = await problemOf(readPackageArchive(join(dir, "data.gz")));
    expect(problem).toBe("corrupt_archive");
    expect(message).toMatch(/^package: archive is damaged: /);
  });

  it("enforces its limits", async () => {
    const path = await tarTree({ ".PKGINFO": MINIMAL_PKGINFO + "pkgdesc = " + "x".repeat(2000) + "\n", "a/b/c": "" });
    expect((await problemOf(readPackageArchive(path, { maxPkginfoBytes: 1000 }))).problem).toBe("invalid_pkginfo");
    await expect(readPackageArchive(path, { maxEntries: 3 })).rejects.toBeInstanceOf(ResourceExhaustedError);
    await expect(readPackageArchive(path, { maxFileListBytes: 5 })).rejects.toBeInstanceOf(ResourceExhaustedError);
  });

  it("streams an archive much larger than its chunks", async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 0x61);
    const path = await tarTree({ ".PKGINFO": MINIMAL_PKGINFO, "usr/big": big, "usr/z": "" }, { compression: "zstd" });
    const archive = await readPackageArchive(path);
    expect(archive.files).toEqual(["usr/", "usr/big", "usr/z"]);
  });

  it("streams a gzip archive that inflates past what is decoded in one piece", async () => {
    const big = Buffer.alloc(12 * 1024 * 1024, 0x62);
    const path = await tarTree({ ".PKGINFO": MINIMAL_PKGINFO, "usr/big": big }, { compression: "gzip" });
    expect((await readPackageArchive(path)).files).toEqual(["usr/", "usr/big"]);
  });

  it("reads a zstd package of several frames", async () => {
    const { compress } = await import("zstd-napi");
    const tar = await readFile(await tarTree({ ".PKGINFO": MINIMAL_PKGINFO, "usr/x": "x" }));
    const path = await fileWith(Buffer.concat([compress(tar.subarray(0, 700)), compress(tar.subarray(700))]));
    const archive = await readPackageArchive(path);
    expect(archive.compression).toBe("zstd");
    expect(archive.files).toEqual(["usr/", "usr/x"]);
  });

  it("hashes the whole file, trailing bytes included", async () => {
    const path = await tarTree({ ".PKGINFO": MINIMAL_PKGINFO }, { compression: "none" });
    const bytes = await readFile(path);
    const archive = await readPackageArchive(path);
    const { createHash } = await import("node:crypto");
    expect(archive.csize).toBe(bytes.length);
    expect(archive.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(archive.md5).toBe(createHash("md5").update(bytes).digest("hex"));
  });
});

it("readPackageArchive passes file system errors through", async () => {
  await expect(readPackageArchive("/nonexistent/package.pkg.tar.zst")).rejects.toMatchObject({ code: "ENOENT" });
});

describe("file list compared with bsdtar", () => {
  // Every name that needs escaping or exclusion, plus a long one for the
  // ustar prefix / GNU long-name / pax path code paths.
  const HOSTILE_TREE = {
    ".PKGINFO": MINIMAL_PKGINFO,
    ".BUILDINFO": "format = 2\n",
    ".hidden-top": "",
    "..dots": "",
    "usr/.dotfile": "",
    "usr/tab\there": "",
    "usr/new\nline": "",
    "usr/back\\slash": "",
    "usr/del\x7f": "",
    "usr/bell\x07esc\x1b": "",
    "usr/nel\u0085": "",
    "usr/sep\u2028": "",
    "usr/unassigned\u0378": "",
    "usr/private\ue000": "",
    "usr/zero\u200bwidth": "",
    "usr/emoji😀": "",
    "usr/漢字": "",
    "usr/spaces and 'quotes\"": "",
    [`usr/${"long-directory-name/".repeat(8)}${"f".repeat(120)}`]: "",
    "usr/empty/": "",
  };

  it.each(["pax", "gnutar", "ustar"] as const)("matches repo-add's list for a %s archive", async (format) => {
    const tree =
      format === "ustar"
        ? Object.fromEntries(Object.entries(HOSTILE_TREE).filter(([n]) => n.length < 200))
        : HOSTILE_TREE;
    const path = await tarTree(tree, { format });
    const archive = await readPackageArchive(path);
    expect(archive.files).toEqual(await bsdtarFileList(path));
    expect(await readPackageBytes(await readFile(path))).toEqual(archive);
    expect(archive.files).toContain("usr/tab\\there");
    expect(archive.files).not.toContain("..dots");
  });

  it("handles ./-prefixed paths and duplicate entries like bsdtar", async () => {
    const path = await tarTree(
      { ".PKGINFO": MINIMAL_PKGINFO, "usr/bin/x": "", ".hidden": "" },
      { members: ["./.PKGINFO", "./usr", "./.hidden", "usr", "./usr/bin/x"] },
    );
    const archive = await readPackageArchive(path);
    expect(archive.pkginfo).toBe(MINIMAL_PKGINFO);
    expect(archive.files).toEqual(await bsdtarFileList(path));
    expect(archive.files).toContain("./usr/bin/x");
  });

  it("reads a full package with the canonical file name", async () => {
    const path = await tarTree(
      { ".PKGINFO": MINIMAL_PKGINFO.replace("1.0-1", "2:1.0-1"), "x/": "" },
      { compression: "xz" },
    );
    expect((await readPackageFile(path)).filename).toBe("demo-2:1.0-1-any.pkg.tar.xz");
  });
});

describe("readPackageFile on hostile .PKGINFO", () => {
  it.each([
    ["missing pkgver", "pkgname = demo\narch = any\n", "pkgver", /has no "pkgver"/],
    [
      "a name with a slash",
      "pkgname = ../../etc/passwd\npkgver = 1-1\narch = any\n",
      "pkgname",
      /must not contain "\/"/,
    ],
    ["a bad arch", "pkgname = demo\npkgver = 1-1\narch = x86-64\n", "arch", /may only contain/],
    ["a negative size", MINIMAL_PKGINFO.replace("size = 0", "size = -5"), "size", /non-negative integer/],
  ])("rejects %s", async (_, pkginfo, key, pattern) => {
    const path = await tarTree({ ".PKGINFO": pkginfo, "x/": "" });
    const error = await readPackageFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPackageError);
    expect(error).toMatchObject({ problem: "invalid_pkginfo", key });
    expect((error as Error).message).toMatch(pattern);
  });

  it("rejects a .PKGINFO that is not UTF-8", async () => {
    const path = await tarTree({
      ".PKGINFO": Buffer.concat([Buffer.from(MINIMAL_PKGINFO), Buffer.from([0xff, 0x0a])]),
    });
    expect(await problemOf(readPackageFile(path))).toEqual({
      problem: "invalid_pkginfo",
      message: "package: .PKGINFO is not valid UTF-8",
    });
  });
});
