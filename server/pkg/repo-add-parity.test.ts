// The module's main promise: for real makepkg packages, our desc and files
// entries are byte-identical to what the real repo-add 6.0.2 writes.
import { readFile, stat, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPackageArchive } from "./archive.js";
import { readPackageBytes } from "./archive-bytes.js";
import { renderDesc, renderFiles } from "./desc.js";
import { descFacts, type PackageFile, readPackageFile } from "./read-package.js";
import { encodeSignature } from "./signature.js";
import { run } from "./testing/exec.js";
import {
  FOREIGN_PKGBUILD,
  MANY_FILES_PKGBUILD,
  MINIMAL_PKGBUILD,
  SPLIT_FILES,
  SPLIT_PKGBUILD,
} from "./testing/fixtures.js";
import { makePackage, TEST_BUILD_DATE } from "./testing/make-package.js";
import { repoAdd, type RepoAddEntry } from "./testing/repo-add.js";
import { cleanupTempDirs } from "./testing/temp-dirs.js";

// A binary "signature": repo-add only checks it is not armored and ≤ 16 KiB.
const DUMMY_SIGNATURE = Buffer.from(Array.from({ length: 310 }, (_, i) => (i * 37 + 11) % 256));

interface Built {
  path: string;
  pkg: PackageFile;
  signature?: Buffer;
}

let built: Built[] = [];
let entries: Map<string, RepoAddEntry>;

beforeAll(async () => {
  // The four builds run in parallel; each is one makepkg run.
  const groups = await Promise.all([
    makePackage({ pkgbuild: SPLIT_PKGBUILD, files: SPLIT_FILES, pkgext: ".pkg.tar.zst" }),
    makePackage({ pkgbuild: FOREIGN_PKGBUILD, pkgext: ".pkg.tar.xz", carch: "aarch64" }),
    makePackage({ pkgbuild: MINIMAL_PKGBUILD, pkgext: ".pkg.tar.gz", packager: "Jörg Tëst <jt@vieter.invalid>" }),
    makePackage({ pkgbuild: MANY_FILES_PKGBUILD, pkgext: ".pkg.tar" }),
  ]);
  const paths = groups.flat();
  built = await Promise.all(paths.map(async (path) => ({ path, pkg: await readPackageFile(path) })));
  // One signed package, to cover %PGPSIG%.
  const signed = built.find((b) => b.pkg.info.pkgname === "vieter-split-b")!;
  signed.signature = DUMMY_SIGNATURE;
  await writeFile(`${signed.path}.sig`, DUMMY_SIGNATURE);
  entries = await repoAdd(paths);
}, 120_000);
afterAll(cleanupTempDirs);

describe("packages built by makepkg", () => {
  it("cover split packages, every compression and foreign and any architectures", () => {
    const summary = built.map(
      ({ pkg }) => `${pkg.info.pkgname} ${pkg.info.pkgver} ${pkg.info.arch} ${pkg.archive.compression}`,
    );
    expect(summary).toEqual([
      "vieter-split-a 2:2.1.0-3 x86_64 zstd",
      "vieter-split-b 2:2.1.0-3 any zstd",
      "vieter-arm 0.9.1+r12.g1a2b3c4_beta~rc1-1.1 aarch64 xz",
      "vieter-minimal 1-1 any gzip",
      "vieter-many 3.0.0-1 x86_64 none",
    ]);
  });

  it("parse into the metadata the PKGBUILDs declare", () => {
    const a = built[0]!.pkg.info;
    expect(a).toMatchObject({
      pkgbase: "vieter-split",
      pkgdesc: "Ünïcödé description — with “quotes”, a tab and double spaces",
      url: "https://example.org/vieter?x=1&y=2",
      builddate: TEST_BUILD_DATE,
      packager: "Vieter Tests <tests@vieter.invalid>",
      license: ["MIT", "GPL-2.0-or-later", "custom:Foo Bar"],
      group: ["vieter-group", "other-group"],
      depend: ["glibc>=2.36", "bash"],
      optdepend: ["python: for the helper script", "zsh: completions with spaces", "fish"],
      provides: ["vieter-split=2.1.0", "libvieter.so=1-64"],
      conflict: ["vieter-old<2"],
      replaces: ["vieter-legacy"],
      backup: ["etc/vieter/a.conf", "etc/vieter/b.conf"],
      makedepend: ["make", "cmake>=3.0"],
      checkdepend: ["python-pytest"],
    });
    expect(built[3]!.pkg.info).toMatchObject({ pkgdesc: "", url: "", license: [], group: [], depend: [] });
  });

  it("get makepkg's own file names", () => {
    for (const { path, pkg } of built) expect(pkg.filename).toBe(basename(path));
  });

  it("report the file's size and digests", async () => {
    for (const { path, pkg } of built) {
      expect(pkg.archive.csize).toBe((await stat(path)).size);
      expect(pkg.archive.sha256).toBe((await run("sha256sum", [path])).toString().split(" ")[0]);
      expect(pkg.archive.md5).toBe((await run("md5sum", [path])).toString().split(" ")[0]);
    }
  });

  it("yield the same .PKGINFO text as bsdtar", async () => {
    for (const { path, pkg } of built) {
      expect(pkg.archive.pkginfo).toBe((await run("bsdtar", ["-xOqf", path, ".PKGINFO"])).toString("utf8"));
    }
  });
});

describe("byte-identical to repo-add 6.0.2", () => {
  it("has an entry for every package", () => {
    expect([...entries.keys()].sort()).toEqual(built.map(({ pkg }) => `${pkg.info.pkgname}-${pkg.info.pkgver}`).sort());
  });

  it.each([0, 1, 2, 3, 4])("desc of package #%i", (index) => {
    const { pkg, signature } = built[index]!;
    const ours = renderDesc(pkg.info, descFacts(pkg, signature && encodeSignature(signature)));
    const theirs = entries.get(`${pkg.info.pkgname}-${pkg.info.pkgver}`)!;
    expect(ours).toBe(theirs.desc.toString("utf8"));
    expect(Buffer.from(ours, "utf8").equals(theirs.desc)).toBe(true);
    expect(theirs.filesDesc.equals(theirs.desc)).toBe(true);
  });

  it.each([0, 1, 2, 3, 4])("files of package #%i", (index) => {
    const { pkg } = built[index]!;
    const ours = renderFiles(pkg.archive.files);
    const theirs = entries.get(`${pkg.info.pkgname}-${pkg.info.pkgver}`)!.files;
    expect(ours).toBe(theirs.toString("utf8"));
    expect(Buffer.from(ours, "utf8").equals(theirs)).toBe(true);
  });

  it("includes the signature, nested directories and escaped names", () => {
    const signed = entries.get("vieter-split-b-2:2.1.0-3")!.desc.toString();
    expect(signed).toContain(`%PGPSIG%\n${DUMMY_SIGNATURE.toString("base64")}\n`);
    const files = entries.get("vieter-split-a-2:2.1.0-3")!.files.toString();
    expect(files).toContain("usr/share/vieter/deep/nested/dir/\n");
    expect(files).toContain("usr/lib/systemd/system/vieter\\\\x2dfoo.service\n");
    expect(files).toContain("usr/share/vieter/tab\\tin name\n");
    expect(files).not.toContain(".PKGINFO");
  });

  it("reads the same result twice (no state between reads)", async () => {
    const { path, pkg } = built[0]!;
    expect(await readPackageArchive(path)).toEqual(pkg.archive);
  });

  it("reads every package the same from memory as from its file (an upload kept as received)", async () => {
    for (const { path, pkg } of built) expect(await readPackageBytes(await readFile(path))).toEqual(pkg.archive);
  });
});
