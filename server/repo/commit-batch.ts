/**
 * The durable part of a batch of publishes into the same arch-repos (see
 * group-commit.ts), with their locks held: each package is checked against
 * the arch-repo and the batch's earlier packages, the accepted files are
 * renamed into the pool behind one directory fsync, their rows committed in
 * one transaction of plain SQL (shared with the batches of other arch-repos
 * committing at the same time, shared-transaction.ts), and only then do the
 * served views change.
 */
import { FailedPreconditionError } from "../../lib/errors.js";
import type { EntityManager } from "@mikro-orm/sqlite";
import { vercmp } from "../pkg/vercmp.js";
import { toDbDate } from "../store/sql.js";
import { type ArchRepoView, nextLastModified } from "./arch-repo-view.js";
import type { PreparedPackage } from "./commit-package.js";
import type { Outcome } from "./group-commit.js";
import { SHARED_TRANSACTION_KEY } from "./shared-transaction.js";
import { type RepoState, archKey } from "./state.js";

/** One publish waiting for its batch. */
export interface PublishJob {
  readonly repo: string;
  readonly arches: readonly string[];
  readonly pkg: PreparedPackage;
}

/** The batch found an arch-repo missing (deleted meanwhile); the caller takes the path that creates it. */
export const ARCH_REPO_MISSING = Symbol("arch-repo missing");

/** Digests whose files may now be unused, or {@link ARCH_REPO_MISSING}. */
export type BatchResult = string[] | typeof ARCH_REPO_MISSING;

/** The queue key of a publish: its repo and arches (every job of a batch shares them). */
export function batchKey(repo: string, arches: readonly string[]): string {
  return [...arches]
    .sort()
    .map((a) => archKey(repo, a))
    .join("\n");
}

/** Commits a batch of jobs sharing repo and arches; one outcome per job, in order. */
export async function commitBatch(state: RepoState, jobs: readonly PublishJob[]): Promise<Outcome<BatchResult>[]> {
  const { repo, arches } = jobs[0]!;
  return state.locks.withKeys(
    arches.map((a) => archKey(repo, a)),
    async () => {
      const views: ArchRepoView[] = [];
      for (const arch of arches) {
        const view = await state.view(repo, arch);
        if (!view) return jobs.map(() => ({ value: ARCH_REPO_MISSING }));
        views.push(view);
      }
      const { outcomes, accepted } = decide(state, repo, views, jobs);
      if (accepted.length > 0) await commitAccepted(state, views, accepted);
      return outcomes;
    },
  );
}

/** Refuses downgrades (against the arch-repo and earlier jobs of the batch); collects what each accepted job releases. */
function decide(state: RepoState, repo: string, views: readonly ArchRepoView[], jobs: readonly PublishJob[]) {
  const outcomes: Outcome<BatchResult>[] = [];
  const accepted: PreparedPackage[] = [];
  // Per arch-repo, the batch's newest accepted package of each name.
  const pending = views.map(() => new Map<string, { version: string; sha256: string }>());
  for (const { pkg } of jobs) {
    const { pkgname, pkgver } = pkg.info;
    const currents = views.map((view, i) => pending[i]!.get(pkgname) ?? view.get(pkgname));
    const newer = currents.findIndex((c) => c && vercmp(pkgver, c.version) < 0);
    if (newer !== -1 && !state.deps.settings.allowsDowngrade(repo)) {
      outcomes.push({ error: downgrade(repo, views[newer]!.arch, pkgname, currents[newer]!.version, pkgver) });
      continue;
    }
    const released = currents.flatMap((c) => (c && c.sha256 !== pkg.archive.sha256 ? [c.sha256] : []));
    pending.forEach((p) => p.set(pkgname, { version: pkgver, sha256: pkg.archive.sha256 }));
    accepted.push(pkg);
    outcomes.push({ value: released });
  }
  return { outcomes, accepted };
}

async function commitAccepted(state: RepoState, views: readonly ArchRepoView[], pkgs: PreparedPackage[]) {
  const shas = [...new Set(pkgs.map((p) => p.archive.sha256))];
  await state.fileLocks.withKeys(shas, async () => {
    let renamed = false;
    for (const pkg of pkgs) {
      const sha = pkg.archive.sha256;
      renamed = (await state.deps.pool.place(pkg.upload.path, sha, "pkg")) || renamed;
      if (pkg.upload.signaturePath) {
        renamed = (await state.deps.pool.place(pkg.upload.signaturePath, sha, "sig")) || renamed;
      }
    }
    if (renamed) await state.deps.pool.syncDir();
    const now = state.deps.clock.now();
    const stamps = views.map((v) => ({ lastModified: nextLastModified(v.lastModified, now), serial: v.version + 1 }));
    await state.transaction.submit(SHARED_TRANSACTION_KEY, {
      rows: rowsOf(state.deps.store.em as EntityManager, views, pkgs),
      archRepos: views.map((view, i) => ({ id: view.id, ...stamps[i]! })),
    });
    for (const [i, view] of views.entries()) {
      for (const pkg of pkgs) view.put(pkg.served, stamps[i]!.lastModified, stamps[i]!.serial);
    }
  });
}

/** The rows to upsert: the last package of each name per arch-repo (an upsert may touch a row once). */
function rowsOf(em: EntityManager, views: readonly ArchRepoView[], pkgs: readonly PreparedPackage[]): unknown[][] {
  const last = new Map<string, PreparedPackage>();
  for (const pkg of pkgs) last.set(pkg.info.pkgname, pkg);
  const rows: unknown[][] = [];
  for (const view of views) {
    for (const pkg of last.values()) {
      const { info, archive } = pkg;
      rows.push([
        view.id,
        info.pkgname,
        info.pkgbase || info.pkgname,
        info.pkgver,
        info.arch,
        pkg.filename,
        archive.csize,
        info.size ?? 0,
        archive.sha256,
        pkg.desc,
        pkg.files,
        JSON.stringify(info),
        pkg.signature ?? null,
        toDbDate(em, pkg.served.publishedAt),
        pkg.served.members.db,
        pkg.served.members.files,
      ]);
    }
  }
  return rows;
}

function downgrade(repo: string, arch: string, name: string, current: string, published: string) {
  return new FailedPreconditionError(
    `${repo}/${arch} has ${name} ${current}, newer than the published ${published}; ` +
      "a stale build must not roll the repo back (allow_downgrade_repos permits it per repo)",
  );
}
