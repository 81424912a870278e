// Unit tests of the bsdtar emulation; whole archives are compared with the
// real bsdtar in archive.test.ts and repo-add-parity.test.ts.
import { describe, expect, it } from "vitest";
import { detectCompression } from "./compression.js";
import { escapeEntryPath, isListedEntry, sortUnique, stripDotSlash } from "./file-list.js";

describe("isListedEntry", () => {
  it.each([
    [".PKGINFO", false],
    [".BUILDINFO", false],
    [".MTREE", false],
    [".INSTALL", false],
    [".CHANGELOG", false],
    [".hidden/file", false],
    ["./.PKGINFO", false],
    ["..", false],
    ["usr/", true],
    ["usr/.hidden", true],
    ["./usr/bin", true],
    ["./", true],
    ["././x", true],
  ])("%j → %s", (path, listed) => {
    expect(isListedEntry(path)).toBe(listed);
  });

  it("strips leading ./ like libarchive", () => {
    expect(stripDotSlash("././/./x")).toBe("x");
    expect(stripDotSlash("./.")).toBe("");
    expect(stripDotSlash("usr/./x")).toBe("usr/./x");
  });
});

describe("escapeEntryPath", () => {
  it.each([
    ["usr/bin/x", "usr/bin/x"],
    ["a\\b", "a\\\\b"],
    ["tab\there", "tab\\there"],
    ["nl\nx\r", "nl\\nx\\r"],
    ["\x07\x08\x0b\x0c", "\\a\\b\\v\\f"],
    ["esc\x1b del\x7f", "esc\\033 del\\177"],
    ["nel\u0085", "nel\\302\\205"],
    ["ls\u2028", "ls\\342\\200\\250"],
    ["naïve 漢字😀", "naïve 漢字😀"],
  ])("%j → %j", (path, printed) => {
    expect(escapeEntryPath(path)).toBe(printed);
  });
});

describe("sortUnique", () => {
  it("sorts by UTF-8 bytes and drops duplicates, like LC_ALL=C sort -u", () => {
    expect(sortUnique(["b", "a", "B", "b", "ä", "\uffff", "😀", "a/", "a"])).toEqual([
      "B",
      "a",
      "a/",
      "b",
      "ä",
      "\uffff",
      "😀",
    ]);
  });
});

describe("detectCompression", () => {
  const tarHeader = () => {
    const block = Buffer.alloc(512);
    block.write("file.txt", 0);
    block.write("0000644\0", 100);
    block.write("ustar\u000000", 257);
    block.fill(" ", 148, 156);
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    return block;
  };

  it.each([
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd, 0x04]],
    ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]],
    ["gzip", [0x1f, 0x8b, 0x08]],
  ])("detects %s by its magic bytes", (compression, magic) => {
    expect(detectCompression(Uint8Array.from(magic))).toBe(compression);
  });

  it("detects a plain tar by its header checksum", () => {
    expect(detectCompression(tarHeader())).toBe("none");
    const broken = tarHeader();
    broken[0] = 0x41;
    expect(detectCompression(broken)).toBeUndefined();
  });

  it.each([
    ["bzip2", Buffer.from("BZh91AY&SY")],
    ["zip", Buffer.from("PK\x03\x04")],
    ["an all-zero block", Buffer.alloc(512)],
    ["nothing", Buffer.alloc(0)],
  ])("rejects %s", (_, head) => {
    expect(detectCompression(head)).toBeUndefined();
  });
});
