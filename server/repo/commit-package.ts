/**
 * The durable part of a publish that creates an arch-repo, with the repo and
 * arch-repo locks held: the file goes into the pool (fsynced) before the rows
 * that name it are committed, and the served views change only after the
 * commit. Publishes into existing arch-repos take commit-batch.ts instead.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import type { PackageArchive } from "../pkg/archive.js";
import type { PackageInfo } from "../pkg/pkginfo.js";
import { vercmp } from "../pkg/vercmp.js";
import { ArchRepoEntity, type ArchRepoRow, RepoPackageEntity, type RepoPackageRow } from "../store/entities/repo.js";
import { type ServedPackage, nextLastModified } from "./arch-repo-view.js";
import { loadView } from "./load-view.js";
import type { RepoState } from "./state.js";

/** A validated package, ready to commit. */
export interface PreparedPackage {
  readonly info: PackageInfo;
  readonly archive: PackageArchive;
  readonly filename: string;
  /** Base64 detached signature, if one was published. */
  readonly signature: string | undefined;
  readonly upload: { readonly path: string; readonly signaturePath?: string };
  readonly desc: string;
  readonly files: string;
  /** What the views will serve, archive members included (rendered before any lock is taken). */
  readonly served: ServedPackage;
}

/** Commits `pkg` into the arch-repos `arches`; returns digests whose files may now be unused. */
export async function commitPackage(
  state: RepoState,
  repo: string,
  arches: readonly string[],
  pkg: PreparedPackage,
): Promise<string[]> {
  const sha = pkg.archive.sha256;
  return state.fileLocks.withKeys([sha], async () => {
    await state.deps.pool.adopt(pkg.upload.path, sha, "pkg");
    if (pkg.upload.signaturePath) await state.deps.pool.adopt(pkg.upload.signaturePath, sha, "sig");
    const now = state.deps.clock.now();
    const em = state.em();
    const released: string[] = [];
    const created: ArchRepoRow[] = [];
    const touched: { arch: string; row: ArchRepoRow }[] = [];
    await em.transactional(async (tx) => {
      for (const arch of arches) {
        let archRepo = await tx.findOne(ArchRepoEntity, { repo, arch });
        if (!archRepo) {
          archRepo = tx.create(ArchRepoEntity, { repo, arch, lastModified: 0, serial: 0, createdAt: now });
          await backfillAnyPackages(tx, archRepo, pkg.info.pkgname, now);
          created.push(archRepo);
        }
        const old = await tx.findOne(RepoPackageEntity, { archRepo, name: pkg.info.pkgname });
        if (old && old.sha256 !== sha) released.push(old.sha256);
        // The row's time is the one the view's members were rendered with.
        const fields = rowFields(pkg, pkg.served.publishedAt);
        if (old) tx.assign(old, fields);
        else tx.create(RepoPackageEntity, { archRepo, ...fields });
        archRepo.lastModified = nextLastModified(archRepo.lastModified, now);
        archRepo.serial += 1;
        touched.push({ arch, row: archRepo });
      }
    });
    for (const { arch, row } of touched) {
      if (created.includes(row)) {
        state.setView(await loadView(state.em(), row));
        continue;
      }
      const view = await state.view(repo, arch);
      view?.put(pkg.served, row.lastModified, row.serial);
    }
    return released;
  });
}

function rowFields(pkg: PreparedPackage, now: Date): Omit<RepoPackageRow, "id" | "archRepo"> {
  const { info, archive } = pkg;
  return {
    name: info.pkgname,
    base: info.pkgbase || info.pkgname,
    version: info.pkgver,
    arch: info.arch,
    filename: pkg.filename,
    compressedSize: archive.csize,
    installedSize: info.size ?? 0,
    sha256: archive.sha256,
    descEntry: pkg.desc,
    filesEntry: pkg.files,
    info: JSON.stringify(info),
    signature: pkg.signature ?? null,
    publishedAt: now,
    dbMember: pkg.served.members.db,
    filesMember: pkg.served.members.files,
  };
}

/**
 * A new arch-repo starts with the repo's `any` packages (newest version of
 * each), which Vieter 0.6 forgot: an `any` package published before an
 * arch-repo existed was missing from it.
 */
async function backfillAnyPackages(
  tx: EntityManager,
  archRepo: ArchRepoRow,
  skipName: string,
  now: Date,
): Promise<void> {
  const anyRows = await tx.find(RepoPackageEntity, { arch: "any", archRepo: { repo: archRepo.repo } });
  const newest = new Map<string, RepoPackageRow>();
  for (const row of anyRows) {
    const seen = newest.get(row.name);
    if (row.name !== skipName && (!seen || vercmp(row.version, seen.version) > 0)) newest.set(row.name, row);
  }
  for (const row of newest.values()) {
    const { id: _id, archRepo: _from, publishedAt: _at, ...copy } = row;
    // The members carry the publish time; the view load renders them anew (and stores them).
    tx.create(RepoPackageEntity, { ...copy, archRepo, publishedAt: now, dbMember: null, filesMember: null });
  }
}
