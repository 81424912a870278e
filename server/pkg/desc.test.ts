// Unit tests of the desc/files layout; byte equality with the real repo-add
// on makepkg-built packages is in repo-add-parity.test.ts.
import { describe, expect, it } from "vitest";
import { InvalidPackageError } from "./errors.js";
import { renderDesc, renderFiles } from "./desc.js";
import { packageFilename } from "./filename.js";
import { parsePkginfo } from "./pkginfo.js";
import { encodeSignature, MAX_SIGNATURE_BYTES } from "./signature.js";

const INFO = parsePkginfo(
  "pkgname = demo\npkgver = 1.0-1\narch = any\nsize = 12\nbuilddate = 34\ndepend = a\ndepend = b\nbackup = etc/x\n",
);
const FACTS = { filename: "demo-1.0-1-any.pkg.tar.zst", csize: 99, sha256: "ab".repeat(32) };

describe("renderDesc", () => {
  it("writes fields in repo-add's order, skipping empty ones", () => {
    expect(renderDesc(INFO, FACTS)).toBe(
      [
        "%FILENAME%\ndemo-1.0-1-any.pkg.tar.zst\n",
        "%NAME%\ndemo\n",
        "%VERSION%\n1.0-1\n",
        "%CSIZE%\n99\n",
        "%ISIZE%\n12\n",
        `%SHA256SUM%\n${"ab".repeat(32)}\n`,
        "%ARCH%\nany\n",
        "%BUILDDATE%\n34\n",
        "%DEPENDS%\na\nb\n",
        "",
      ].join("\n"),
    );
  });

  it("adds MD5SUM and PGPSIG when given, in their places", () => {
    const desc = renderDesc(INFO, { ...FACTS, md5: "cd".repeat(16), pgpsig: "c2ln" });
    expect(desc).toContain(`%ISIZE%\n12\n\n%MD5SUM%\n${"cd".repeat(16)}\n\n%SHA256SUM%\n`);
    expect(desc).toContain("\n\n%PGPSIG%\nc2ln\n\n%ARCH%\n");
  });

  it("falls back to the .PKGINFO pgpsig, as repo-add does, and prefers a detached one", () => {
    const signed = { ...INFO, pgpsig: "b2xk" };
    expect(renderDesc(signed, FACTS)).toContain("%PGPSIG%\nb2xk\n");
    expect(renderDesc(signed, { ...FACTS, pgpsig: "bmV3" })).toContain("%PGPSIG%\nbmV3\n");
  });

  it("omits a list field whose first value is empty, like format_entry", () => {
    expect(renderDesc({ ...INFO, group: ["", "x"] }, FACTS)).not.toContain("%GROUPS%");
  });
});

describe("renderFiles", () => {
  it("lists one path per line after %FILES%", () => {
    expect(renderFiles(["usr/", "usr/bin/", "usr/bin/x"])).toBe("%FILES%\nusr/\nusr/bin/\nusr/bin/x\n");
    expect(renderFiles([])).toBe("%FILES%\n");
  });
});

describe("encodeSignature", () => {
  it("base64-encodes a binary signature without line breaks", () => {
    const sig = new Uint8Array(1000).map((_, i) => i % 256);
    expect(encodeSignature(sig)).toBe(Buffer.from(sig).toString("base64"));
    expect(encodeSignature(new Uint8Array(0))).toBe("");
  });

  it.each([
    ["an armored signature", Buffer.from("-----BEGIN PGP SIGNATURE-----\n\nabc\n"), "ASCII-armored"],
    ["an oversized signature", new Uint8Array(MAX_SIGNATURE_BYTES + 1), "more than 16384"],
  ])("rejects %s", (_, sig, message) => {
    expect(() => encodeSignature(sig)).toThrow(InvalidPackageError);
    expect(() => encodeSignature(sig)).toThrow(message);
  });
});

describe("packageFilename", () => {
  it("builds makepkg's name with the detected compression", () => {
    const info = { pkgname: "demo", pkgver: "2:1.0-1", arch: "x86_64" };
    expect(packageFilename(info, "zstd")).toBe("demo-2:1.0-1-x86_64.pkg.tar.zst");
    expect(packageFilename(info, "xz")).toBe("demo-2:1.0-1-x86_64.pkg.tar.xz");
    expect(packageFilename(info, "gzip")).toBe("demo-2:1.0-1-x86_64.pkg.tar.gz");
    expect(packageFilename(info, "none")).toBe("demo-2:1.0-1-x86_64.pkg.tar");
  });

  it("refuses a name longer than a file name may be", () => {
    expect(() => packageFilename({ pkgname: "a".repeat(250), pkgver: "1-1", arch: "any" }, "zstd")).toThrow(
      /longer than 255 bytes/,
    );
  });
});
