/**
 * Views loaded from the stored gzip members after a restart: the archives
 * are byte-equal to those served before it (whose entries are repo-add's),
 * and rows without members (as written before the columns existed) get
 * theirs rendered once and stored. Real makepkg packages, a real SQLite file.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { defaultServerConfig } from "../config.js";
import { makePackage } from "../pkg/testing/make-package.js";
import { testPkgbuild } from "../pkg/testing/pkgbuild.js";
import { repoAdd } from "../pkg/testing/repo-add.js";
import { cleanupTempDirs } from "../pkg/testing/temp-dirs.js";
import { type Store, openStore } from "../store/orm.js";
import { assembleArchive } from "./db-members.js";
import { createRepository } from "./create.js";
import type { Repository } from "./repository.js";

interface Opened {
  store: Store;
  repository: Repository;
}

let dataDir: string;
let packages: string[];

async function open(): Promise<Opened> {
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  const config = defaultServerConfig({ data_dir: dataDir, api_key: "k" });
  const repository = createRepository(config, store, join(dataDir, "pkgs"), systemClock, pino({ level: "silent" }));
  await repository.recover();
  return { store, repository };
}

async function archives(repository: Repository, arch = "x86_64") {
  return {
    db: (await repository.archive("mem", arch, "db"))!.data,
    files: (await repository.archive("mem", arch, "files"))!.data,
  };
}

/** Runs `fn` on raw SQL over the database file while no repository has it open. */
async function withDb<T>(fn: (db: ReturnType<Store["em"]["getKnex"]>) => Promise<T>): Promise<T> {
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  try {
    return await fn(store.em.getKnex());
  } finally {
    await store.close();
  }
}

function entries(archive: Buffer, dir: string): Map<string, string> {
  const file = join(dir, `x-${Math.random()}.tar.gz`);
  execFileSync("sh", ["-c", 'cat > "$0"', file], { input: archive });
  const names = execFileSync("bsdtar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
  return new Map(names.map((n) => [n, execFileSync("bsdtar", ["-xOf", file, n], { encoding: "utf8" })]));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vieter-load-view-"));
  packages = [
    ...(await makePackage({ pkgbuild: testPkgbuild("mem-a", "1.0") })),
    ...(await makePackage({ pkgbuild: testPkgbuild("mem-b", "2.0", { extra: "epoch=1" }), pkgext: ".pkg.tar.xz" })),
    ...(await makePackage({ pkgbuild: testPkgbuild("mem-any", "0.5", { arch: "any" }), pkgext: ".pkg.tar.gz" })),
  ];
}, 60_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await cleanupTempDirs();
});

describe("arch-repo views after a restart", () => {
  let before: { db: Buffer; files: Buffer };

  it("serve archives byte-equal to before, from the members stored at publish", async () => {
    const first = await open();
    for (const file of packages) {
      const staged = first.repository.tempPath();
      await copyFile(file, staged);
      await first.repository.publish("mem", { path: staged });
    }
    // A signature re-renders one package's members after its publish.
    const sig = first.repository.tempPath(".sig");
    await writeFile(sig, Buffer.from([0x89, 0x01, 0x02, 0x03]));
    await first.repository.attachSignature("mem", packages[0]!.split("/").pop()!, sig);
    before = await archives(first.repository);
    await first.store.close();

    const stored = await withDb((db) =>
      db("repo_package").whereNull("db_member").orWhereNull("files_member").count({ n: "*" }),
    );
    expect(Number(stored[0]!.n)).toBe(0);

    const second = await open();
    expect(await second.repository.warmViews()).toBe(1);
    const after = await archives(second.repository);
    await second.store.close();
    expect(after.db.equals(before.db)).toBe(true);
    expect(after.files.equals(before.files)).toBe(true);

    // And those bytes hold repo-add's entries (the signature aside, which repo-add cannot see here).
    const reference = await repoAdd(packages);
    const tmp = await mkdtemp(join(tmpdir(), "vieter-load-view-x-"));
    const db = entries(after.db, tmp);
    const files = entries(after.files, tmp);
    for (const [dir, entry] of reference) {
      const desc = db.get(`${dir}/desc`)!.replace(/%PGPSIG%\n[^\n]*\n\n/, "");
      expect(desc).toBe(entry.desc.toString("utf8"));
      expect(files.get(`${dir}/files`)).toBe(entry.files.toString("utf8"));
    }
    expect(db.size).toBe(reference.size);
    await rm(tmp, { recursive: true, force: true });
  });

  it("render members missing from a row (written before the columns) once, and store them", async () => {
    // Simulate rows from before migration 0006 for every package but the signed one.
    const cleared = await withDb((db) =>
      db("repo_package").whereNot("name", "mem-a").update({ db_member: null, files_member: null }),
    );
    expect(cleared).toBe(2);

    const third = await open();
    const after = await archives(third.repository);
    await third.store.close();
    expect(after.db.equals(before.db)).toBe(true);
    expect(after.files.equals(before.files)).toBe(true);

    const rows = await withDb((db) => db("repo_package").select("db_member", "files_member").orderBy("id", "asc"));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Buffer.isBuffer(row.db_member)).toBe(true);
      expect(Buffer.isBuffer(row.files_member)).toBe(true);
    }
    // What was written back is exactly what the archives concatenate.
    expect(assembleArchive(rows.map((r) => r.db_member as Buffer)).equals(before.db)).toBe(true);
    expect(assembleArchive(rows.map((r) => r.files_member as Buffer)).equals(before.files)).toBe(true);
  });
});
