/** Assembled archives are read by the real bsdtar (libarchive, which pacman uses). */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assembleArchive, packageMembers } from "./db-members.js";

function listWithBsdtar(archive: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), "vieter-db-"));
  const file = join(dir, "test.db.tar.gz");
  writeFileSync(file, archive);
  return execFileSync("bsdtar", ["-tf", file], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
}

function readWithBsdtar(archive: Buffer, entry: string): string {
  const dir = mkdtempSync(join(tmpdir(), "vieter-db-"));
  const file = join(dir, "test.db.tar.gz");
  writeFileSync(file, archive);
  return execFileSync("bsdtar", ["-xOf", file, entry], { encoding: "utf8" });
}

describe("database archive members", () => {
  const mtime = new Date("2026-01-01T00:00:00Z");
  const a = packageMembers("alpha-1.0-1", "%NAME%\nalpha\n\n", "%FILES%\nusr/\nusr/bin/alpha\n\n", mtime);
  const longName = `${"x".repeat(120)}-1:2.0-3`;
  const b = packageMembers(longName, "%NAME%\nlong ✓\n\n", "%FILES%\n\n", mtime);

  it("concatenated members form one archive libarchive reads whole", () => {
    expect(listWithBsdtar(assembleArchive([a.db, b.db]))).toEqual(["alpha-1.0-1/desc", `${longName}/desc`]);
    expect(listWithBsdtar(assembleArchive([a.files, b.files]))).toEqual([
      "alpha-1.0-1/desc",
      "alpha-1.0-1/files",
      `${longName}/desc`,
      `${longName}/files`,
    ]);
  });

  it("keeps contents byte for byte, including non-ASCII and long paths", () => {
    const archive = assembleArchive([a.files, b.files]);
    expect(readWithBsdtar(archive, "alpha-1.0-1/files")).toBe("%FILES%\nusr/\nusr/bin/alpha\n\n");
    expect(readWithBsdtar(archive, `${longName}/desc`)).toBe("%NAME%\nlong ✓\n\n");
  });

  it("an empty archive is valid", () => {
    expect(listWithBsdtar(assembleArchive([]))).toEqual([]);
  });
});
