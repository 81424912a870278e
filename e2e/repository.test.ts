/**
 * The repository over HTTP with real packages from makepkg: entries equal to
 * repo-add's, `any` routing and back-fill, downgrades, hostile uploads and
 * paths, auth, parallel publishers, RepoService.
 */
import { execFileSync } from "node:child_process";
import http from "node:http";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RepoService } from "../gen/vieter/v1/repo_service_pb.js";
import { makePackage } from "../server/pkg/testing/make-package.js";
import { testPkgbuild } from "../server/pkg/testing/pkgbuild.js";
import { cleanupTempDirs } from "../server/pkg/testing/temp-dirs.js";
import { repoAdd } from "../server/pkg/testing/repo-add.js";
import { publishFile } from "./setup/publish.js";
import { type TestServer, startTestServer } from "./setup/server.js";

let srv: TestServer;
const get = (path: string, init?: RequestInit) => fetch(`${srv.baseUrl}${path}`, init);
const bytes = async (path: string) => Buffer.from(await (await get(path)).arrayBuffer());

function archiveEntries(archive: Buffer): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "vieter-db-"));
  const file = join(dir, "x.db.tar.gz");
  writeFileSync(file, archive);
  const names = execFileSync("bsdtar", ["-tf", file], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  return new Map(names.map((n) => [n, execFileSync("bsdtar", ["-xOf", file, n], { encoding: "utf8" })]));
}

beforeAll(async () => {
  // sendfile is on by default: package downloads below go through the native addon.
  srv = await startTestServer({ allow_downgrade_repos: ["lenient"] });
});
afterAll(async () => {
  await srv.stop();
  await cleanupTempDirs();
});

describe("entries equal to repo-add's", () => {
  it("serves desc and files byte for byte as repo-add writes them", async () => {
    const files = [
      ...(await makePackage({ pkgbuild: testPkgbuild("parity-a", "1.2.3", { pkgrel: 4 }) })),
      ...(await makePackage({
        pkgbuild: testPkgbuild("parity-b", "2.0", { extra: "epoch=3" }),
        pkgext: ".pkg.tar.xz",
      })),
      ...(await makePackage({ pkgbuild: testPkgbuild("parity-c", "0.1"), pkgext: ".pkg.tar.gz" })),
      ...(await makePackage({ pkgbuild: testPkgbuild("parity-d", "7"), pkgext: ".pkg.tar" })),
    ];
    for (const f of files) expect((await publishFile(srv.baseUrl, "parity", f, srv.apiKey)).status).toBe(200);
    const reference = await repoAdd(files);
    const db = archiveEntries(await bytes("/parity/x86_64/parity.db"));
    const filesDb = archiveEntries(await bytes("/parity/x86_64/parity.files.tar.gz"));
    expect(reference.size).toBe(4);
    for (const [dir, entry] of reference) {
      expect(db.get(`${dir}/desc`)).toBe(entry.desc.toString("utf8"));
      expect(filesDb.get(`${dir}/desc`)).toBe(entry.filesDesc.toString("utf8"));
      expect(filesDb.get(`${dir}/files`)).toBe(entry.files.toString("utf8"));
    }
    expect([...db.keys()].sort()).toEqual([...reference.keys()].map((d) => `${d}/desc`).sort());
    // .db and .db.tar.gz are the same bytes; the desc route answers HEAD for the build skip check.
    expect(await bytes("/parity/x86_64/parity.db.tar.gz")).toEqual(await bytes("/parity/x86_64/parity.db"));
    expect((await get("/parity/x86_64/parity-b-3:2.0-1", { method: "HEAD" })).status).toBe(200);
    expect((await get("/parity/x86_64/parity-b-2.0-1", { method: "HEAD" })).status).toBe(404);
    expect(await (await get("/parity/x86_64/parity-a-1.2.3-4")).text()).toBe(
      reference.get("parity-a-1.2.3-4")!.desc.toString(),
    );
  });
});

describe("signatures", () => {
  it("embeds a published .sig as %PGPSIG% exactly like repo-add, and serves it", async () => {
    const [file] = await makePackage({ pkgbuild: testPkgbuild("signed-pkg", "1") });
    const sig = Buffer.from([0x89, 0x01, 0x33, ...Array.from({ length: 300 }, (_, i) => i % 256)]);
    writeFileSync(`${file}.sig`, sig);
    const filename = file!.split("/").pop()!;
    expect((await publishFile(srv.baseUrl, "signed", file!, srv.apiKey)).status).toBe(200);
    const attach = await get(`/signed/publish?signature=${encodeURIComponent(filename)}`, {
      method: "POST",
      headers: { "x-api-key": srv.apiKey },
      body: sig,
    });
    expect(attach.status).toBe(200);
    const reference = await repoAdd([file!]);
    const db = archiveEntries(await bytes("/signed/x86_64/signed.db"));
    expect(db.get("signed-pkg-1-1/desc")).toBe(reference.get("signed-pkg-1-1")!.desc.toString("utf8"));
    expect(db.get("signed-pkg-1-1/desc")).toContain(`%PGPSIG%\n${sig.toString("base64")}\n`);
    expect(await bytes(`/signed/x86_64/${filename}.sig`)).toEqual(sig);
    const armored = await get(`/signed/publish?signature=${encodeURIComponent(filename)}`, {
      method: "POST",
      headers: { "x-api-key": srv.apiKey },
      body: "-----BEGIN PGP SIGNATURE-----",
    });
    expect(armored.status).toBe(400);
    const unknown = await get(`/signed/publish?signature=nope-1-1-x86_64.pkg.tar.zst`, {
      method: "POST",
      headers: { "x-api-key": srv.apiKey },
      body: sig,
    });
    expect(unknown.status).toBe(404);
  });
});

describe("any packages", () => {
  it("go to the default arch and every arch-repo, and a new arch-repo gets them too", async () => {
    const [anyPkg] = await makePackage({ pkgbuild: testPkgbuild("anything", "1", { arch: "any" }) });
    const [armPkg] = await makePackage({
      pkgbuild: testPkgbuild("armonly", "1", { arch: "aarch64" }),
      carch: "aarch64",
    });
    const [rvPkg] = await makePackage({ pkgbuild: testPkgbuild("rvonly", "1", { arch: "riscv64" }), carch: "riscv64" });
    expect((await publishFile(srv.baseUrl, "mixed", armPkg!, srv.apiKey)).body.data).toMatchObject({
      archs: ["aarch64"],
    });
    const res = await publishFile(srv.baseUrl, "mixed", anyPkg!, srv.apiKey);
    expect((res.body.data as { archs: string[] }).archs.sort()).toEqual(["aarch64", "x86_64"]);
    await publishFile(srv.baseUrl, "mixed", rvPkg!, srv.apiKey);
    for (const arch of ["x86_64", "aarch64", "riscv64"]) {
      const names = [...archiveEntries(await bytes(`/mixed/${arch}/mixed.db`)).keys()];
      expect(names).toContain("anything-1-1/desc");
      expect((await get(`/mixed/${arch}/anything-1-1-any.pkg.tar.zst`)).status).toBe(200);
    }
    // Deleted per arch-repo: the others keep it.
    expect(
      (await get("/mixed/aarch64/anything", { method: "DELETE", headers: { "x-api-key": srv.apiKey } })).status,
    ).toBe(200);
    expect([...archiveEntries(await bytes("/mixed/aarch64/mixed.db")).keys()]).not.toContain("anything-1-1/desc");
    expect((await get("/mixed/x86_64/anything-1-1-any.pkg.tar.zst")).status).toBe(200);
  });
});

describe("versions", () => {
  it("refuses an older version with 409 naming both, unless the repo allows downgrades", async () => {
    const [newer] = await makePackage({ pkgbuild: testPkgbuild("versioned", "1.10") });
    const [older] = await makePackage({ pkgbuild: testPkgbuild("versioned", "1.9") });
    expect((await publishFile(srv.baseUrl, "strict", newer!, srv.apiKey)).status).toBe(200);
    const before = await bytes("/strict/x86_64/strict.db");
    const refused = await publishFile(srv.baseUrl, "strict", older!, srv.apiKey);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("1.10-1");
    expect(refused.body.message).toContain("1.9-1");
    expect(await bytes("/strict/x86_64/strict.db")).toEqual(before);
    // Equal version replaces; a lenient repo accepts the downgrade.
    expect((await publishFile(srv.baseUrl, "strict", newer!, srv.apiKey)).status).toBe(200);
    expect((await publishFile(srv.baseUrl, "lenient", newer!, srv.apiKey)).status).toBe(200);
    expect((await publishFile(srv.baseUrl, "lenient", older!, srv.apiKey)).status).toBe(200);
    expect([...archiveEntries(await bytes("/lenient/x86_64/lenient.db")).keys()]).toEqual(["versioned-1.9-1/desc"]);
  });
});

describe("concurrent versions of one package", () => {
  it("answer each publish on its own and serve only the newest, whichever batch they share", async () => {
    const files: string[] = [];
    for (const ver of ["1", "2", "3", "4"])
      files.push(...(await makePackage({ pkgbuild: testPkgbuild("racer", ver) })));
    // An existing arch-repo, so the four go through its group commit together.
    expect((await publishFile(srv.baseUrl, "racing", files[0]!, srv.apiKey)).status).toBe(200);
    const answers = await Promise.all(files.map((f) => publishFile(srv.baseUrl, "racing", f, srv.apiKey)));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    // Nothing is newer than 4-1, so it is always accepted and ends up served.
    expect(answers[3]!.status).toBe(200);
    expect([...archiveEntries(await bytes("/racing/x86_64/racing.db")).keys()]).toEqual(["racer-4-1/desc"]);
    expect((await get("/racing/x86_64/racer-4-1-x86_64.pkg.tar.zst")).status).toBe(200);
    expect((await get("/racing/x86_64/racer-1-1-x86_64.pkg.tar.zst")).status).toBe(404);
  });
});

describe("hostile input changes nothing", () => {
  let good: string;
  beforeAll(async () => {
    [good] = (await makePackage({ pkgbuild: testPkgbuild("solid", "1") })) as [string];
    await publishFile(srv.baseUrl, "guarded", good, srv.apiKey);
  });

  const bodies: [string, () => Buffer][] = [
    ["empty", () => Buffer.alloc(0)],
    ["random bytes", () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ["a gzip of garbage", () => execFileSync("gzip", ["-c"], { input: Buffer.from("not a tar at all") })],
    ["a tar without .PKGINFO", () => tarOf({ "usr/bin/x": "x" })],
    ["a .PKGINFO without pkgver", () => tarOf({ ".PKGINFO": "pkgname = nover\narch = x86_64\n" })],
    ["a name with a slash", () => tarOf({ ".PKGINFO": "pkgname = ../evil\npkgver = 1-1\narch = x86_64\n" })],
    ["a name with ..", () => tarOf({ ".PKGINFO": "pkgname = ..\npkgver = 1-1\narch = x86_64\n" })],
    ["a bad arch", () => tarOf({ ".PKGINFO": "pkgname = ok\npkgver = 1-1\narch = x86/64\n" })],
  ];

  it.each(bodies)("refuses %s with 400 and a message", async (_name, make) => {
    const before = await bytes("/guarded/x86_64/guarded.db");
    const res = await get("/guarded/publish", { method: "POST", headers: { "x-api-key": srv.apiKey }, body: make() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(5);
    expect(await bytes("/guarded/x86_64/guarded.db")).toEqual(before);
    expect(await bytes("/guarded/x86_64/guarded.files")).toEqual(await bytes("/guarded/x86_64/guarded.files.tar.gz"));
  });

  it("refuses a truncated package", async () => {
    const full = execFileSync("cat", [good]);
    const res = await get("/guarded/publish", {
      method: "POST",
      headers: { "x-api-key": srv.apiKey },
      body: full.subarray(0, Math.floor(full.length / 2)),
    });
    expect(res.status).toBe(400);
  });

  it.each(["api", "..", ".hidden", "-opt", "a%2Fb"])("refuses repo name %s with 400", async (repo) => {
    const res = await rawRequest("POST", `/${repo}/publish`, { "x-api-key": srv.apiKey }, execFileSync("cat", [good]));
    expect(res.status).toBe(400);
  });

  it("refuses wrong or missing keys with 401 and changes nothing", async () => {
    const before = await bytes("/guarded/x86_64/guarded.db");
    expect((await publishFile(srv.baseUrl, "guarded", good, undefined)).status).toBe(401);
    expect((await publishFile(srv.baseUrl, "guarded", good, "wrong")).status).toBe(401);
    expect((await get("/guarded/x86_64/solid", { method: "DELETE" })).status).toBe(401);
    expect((await get("/guarded", { method: "DELETE", headers: { "x-api-key": "nope" } })).status).toBe(401);
    expect(await bytes("/guarded/x86_64/guarded.db")).toEqual(before);
  });

  it.each([
    "/guarded/x86_64/..%2F..%2F..%2Fetc%2Fpasswd",
    "/guarded/..%2F..%2F/guarded.db",
    "/..%2Fpkgs/x86_64/pool",
    "/guarded/x86_64/%2e%2e",
    "/guarded/x86_64/..%5c..%5cvieter.sqlite",
    "/%2e%2e/%2e%2e/etc%2Fpasswd",
    "/guarded/../../etc/passwd",
    "/../../../../etc/passwd",
  ])("never leaves the repo folders for %s", async (path) => {
    // A raw request: fetch would resolve ".." segments before sending.
    const res = await rawRequest("GET", path, {});
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain("root:");
  });
});

describe("byte ranges and caching", () => {
  it("answers ranges, 416 and 304 on the database", async () => {
    const full = await bytes("/parity/x86_64/parity.db");
    const part = await get("/parity/x86_64/parity.db", { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 10-19/${full.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(full.subarray(10, 20));
    const suffix = await get("/parity/x86_64/parity.db", { headers: { range: "bytes=-5" } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(full.subarray(full.length - 5));
    const bad = await get("/parity/x86_64/parity.db", { headers: { range: `bytes=${full.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get("content-range")).toBe(`bytes */${full.length}`);
    const first = await get("/parity/x86_64/parity.db");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect((await get("/parity/x86_64/parity.db", { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await get("/parity/x86_64/parity.db", { headers: { "if-modified-since": lastModified } })).status).toBe(
      304,
    );
  });
});

describe("package downloads (sendfile by default)", () => {
  it("serves a package file's exact bytes, ranges and keep-alive reuse too, and writes no archive files", async () => {
    const [file] = await makePackage({ pkgbuild: testPkgbuild("download-a", "1.0") });
    expect((await publishFile(srv.baseUrl, "download", file!, srv.apiKey)).status).toBe(200);
    const published = readFileSync(file!);
    const url = `/download/x86_64/${basename(file!)}`;
    // Several requests in a row on node's keep-alive pool: each response must end where its body does.
    for (let i = 0; i < 3; i++) expect(await bytes(url)).toEqual(published);
    const part = await get(url, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(published.subarray(100, 200));
    expect(await bytes("/download/x86_64/download.db")).toHaveLength(
      Number((await get("/download/x86_64/download.db", { method: "HEAD" })).headers.get("content-length")),
    );
    // Archives are served from memory only; the pool holds package files, nothing else is written.
    expect(readdirSync(join(srv.dataDir, "pkgs")).sort()).toEqual(["pool", "tmp"]);
  });
});

describe("restart", () => {
  it("serves the same .db and .files bytes, validators included, after a restart", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vieter-restart-"));
    const files = [
      ...(await makePackage({ pkgbuild: testPkgbuild("again-a", "1.0") })),
      ...(await makePackage({ pkgbuild: testPkgbuild("again-b", "1.0", { arch: "any" }) })),
      // Replaces again-a: its entry keeps its place, as its row does.
      ...(await makePackage({ pkgbuild: testPkgbuild("again-a", "1.1") })),
    ];
    let first: TestServer | undefined = await startTestServer({ data_dir: dataDir });
    let second: TestServer | undefined;
    try {
      for (const f of files) expect((await publishFile(first.baseUrl, "again", f, first.apiKey)).status).toBe(200);
      const fetchAll = async (s: TestServer) =>
        Promise.all(
          ["again.db", "again.files"].map(async (name) => {
            const res = await fetch(`${s.baseUrl}/again/x86_64/${name}`);
            const etag = res.headers.get("etag");
            return { body: Buffer.from(await res.arrayBuffer()), etag, lastModified: res.headers.get("last-modified") };
          }),
        );
      const before = await fetchAll(first);
      await first.stop();
      first = undefined;
      second = await startTestServer({ data_dir: dataDir });
      const after = await fetchAll(second);
      for (const [i, b] of before.entries()) {
        expect(after[i]!.body.equals(b.body)).toBe(true);
        expect(after[i]!.etag).toBe(b.etag);
        expect(after[i]!.lastModified).toBe(b.lastModified);
      }
      expect(archiveEntries(after[0]!.body).size).toBe(2);
      const cached = await fetch(`${second.baseUrl}/again/x86_64/again.db`, {
        headers: { "if-none-match": before[0]!.etag! },
      });
      expect(cached.status).toBe(304);
    } finally {
      await first?.stop();
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("parallel publishers", () => {
  it("loses none of 300 packages published by 16 clients", { timeout: 180_000 }, async () => {
    // 300 distinct (repo, package) pairs from 5 makepkg builds: 5 names into each of 60 repos.
    const files: string[] = [];
    for (let i = 0; i < 5; i++) files.push(...(await makePackage({ pkgbuild: testPkgbuild(`storm-${i}`, "1") })));
    const queue = Array.from({ length: 300 }, (_, i) => ({ repo: `storm${Math.floor(i / 5)}`, file: files[i % 5]! }));
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          statuses.push((await publishFile(srv.baseUrl, job.repo, job.file, srv.apiKey)).status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(300);
    let listed = 0;
    const missing: string[] = [];
    for (let r = 0; r < 60; r++) {
      const res = await get(`/storm${r}/x86_64/storm${r}.db`);
      if (res.status !== 200) missing.push(`storm${r}: ${res.status} ${await res.text()}`);
      else listed += archiveEntries(Buffer.from(await res.arrayBuffer())).size;
    }
    expect(missing).toEqual([]);
    expect(listed).toBe(300);
  });
});

describe("RepoService", () => {
  const client = () => createClient(RepoService, createConnectTransport({ baseUrl: srv.baseUrl, httpVersion: "2" }));
  const headers = () => ({ "x-api-key": srv.apiKey });

  it("lists repos, arch-repos and packages, and shows a package with its files", async () => {
    const { repos } = await client().listRepos({}, { headers: headers() });
    expect(repos.find((r) => r.name === "mixed")?.arches).toEqual(["aarch64", "riscv64", "x86_64"]);
    const { archRepos } = await client().listArchRepos({ repo: "parity" }, { headers: headers() });
    expect(archRepos).toHaveLength(1);
    expect(archRepos[0]).toMatchObject({ arch: "x86_64", packageCount: 4 });
    expect(archRepos[0]!.totalSize).toBeGreaterThan(0n);
    const page = await client().listPackages({ repo: "parity", query: "parity-", limit: 2 }, { headers: headers() });
    expect(page.totalCount).toBe(4);
    expect(page.packages.map((p) => p.name)).toEqual(["parity-a", "parity-b"]);
    const { package: pkg } = await client().getPackage(
      { repo: "parity", arch: "x86_64", name: "parity-a" },
      { headers: headers() },
    );
    expect(pkg).toMatchObject({ version: "1.2.3-4", optdepends: ["foo: does x", "bar"], licenses: ["MIT"] });
    expect(pkg?.files).toEqual(["usr/", "usr/share/", "usr/share/parity-a/", "usr/share/parity-a/data"]);
  });

  it("deletes, needs the key, and names what is missing", async () => {
    const denied = await client()
      .deleteRepo({ repo: "strict" })
      .catch((e: unknown) => ConnectError.from(e));
    expect((denied as ConnectError).code).toBe(Code.Unauthenticated);
    await client().deleteArchRepo({ repo: "strict", arch: "x86_64" }, { headers: headers() });
    expect((await get("/strict/x86_64/strict.db")).status).toBe(404);
    const missing = await client()
      .getPackage({ repo: "strict", arch: "x86_64", name: "versioned" }, { headers: headers() })
      .catch((e: unknown) => ConnectError.from(e));
    expect((missing as ConnectError).code).toBe(Code.NotFound);
  });
});

function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: srv.port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function tarOf(entries: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "vieter-bad-"));
  for (const [name, content] of Object.entries(entries)) {
    execFileSync("mkdir", ["-p", join(dir, name, "..")]);
    writeFileSync(join(dir, name), content);
  }
  return execFileSync("bsdtar", ["-czf", "-", "-C", dir, ...Object.keys(entries)]);
}
