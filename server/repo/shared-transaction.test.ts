/**
 * Publishes into several arch-repos at once: their batches share SQLite
 * transactions (shared-transaction.ts). Every package is listed, and after
 * a restart each arch-repo has the same rows and the same stamps (the
 * archive's ETag carries the serial, Last-Modified the second) as before it.
 * Packages from bsdtar, a real SQLite file.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { defaultServerConfig } from "../config.js";
import { tarTree } from "../pkg/testing/tar-fixture.js";
import { cleanupTempDirs } from "../pkg/testing/temp-dirs.js";
import { type Store, openStore } from "../store/orm.js";
import { createRepository } from "./create.js";
import type { Repository } from "./repository.js";

const ARCH_REPOS = [
  ["alpha", "x86_64"],
  ["alpha", "aarch64"],
  ["beta", "x86_64"],
] as const;
const PER_ARCH_REPO = 12;

let dataDir: string;
const files = new Map<string, string>();

async function open(): Promise<{ store: Store; repository: Repository }> {
  const store = await openStore({ dbPath: join(dataDir, "vieter.sqlite") });
  const config = defaultServerConfig({ data_dir: dataDir, api_key: "k" });
  const repository = createRepository(config, store, join(dataDir, "pkgs"), systemClock, pino({ level: "silent" }));
  await repository.recover();
  return { store, repository };
}

async function publish(repository: Repository, repo: string, name: string): Promise<void> {
  const staged = repository.tempPath();
  await copyFile(files.get(name)!, staged);
  await repository.publish(repo, { path: staged });
}

/** Per arch-repo: the names listed and the archive's validators. */
async function snapshot(repository: Repository) {
  return Promise.all(
    ARCH_REPOS.map(async ([repo, arch]) => {
      const db = (await repository.archive(repo, arch, "db"))!;
      const names = (await repository.listPackages({ repo, arch, limit: 1000, offset: 0 })).packages
        .map((p) => p.info.pkgname)
        .sort();
      return { names, etag: db.etag, lastModified: db.lastModified.getTime() };
    }),
  );
}

const nameOf = (arch: string, i: number) => `pkg-${arch}-${i}`;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vieter-shared-tx-"));
  for (const arch of new Set(ARCH_REPOS.map(([, a]) => a))) {
    for (let i = 0; i < PER_ARCH_REPO; i++) {
      const pkginfo = `pkgname = ${nameOf(arch, i)}\npkgver = 1.0-1\narch = ${arch}\nsize = 0\nbuilddate = 1\n`;
      files.set(nameOf(arch, i), await tarTree({ ".PKGINFO": pkginfo, "usr/": "" }, { compression: "gzip" }));
    }
  }
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await cleanupTempDirs();
});

describe("batches of different arch-repos committing at once", () => {
  it("list every package, and keep rows and stamps across a restart", async () => {
    const first = await open();
    // Create the arch-repos first, so the rest go through the group commit.
    for (const [repo, arch] of ARCH_REPOS) await publish(first.repository, repo, nameOf(arch, 0));
    await Promise.all(
      ARCH_REPOS.flatMap(([repo, arch]) =>
        Array.from({ length: PER_ARCH_REPO - 1 }, (_, i) => publish(first.repository, repo, nameOf(arch, i + 1))),
      ),
    );
    const before = await snapshot(first.repository);
    await first.repository.close();
    await first.store.close();
    for (const [i, [, arch]] of ARCH_REPOS.entries()) {
      expect(before[i]!.names).toEqual(Array.from({ length: PER_ARCH_REPO }, (_, k) => nameOf(arch, k)).sort());
    }

    const second = await open();
    const after = await snapshot(second.repository);
    await second.repository.close();
    await second.store.close();
    expect(after).toEqual(before);
  });
});
