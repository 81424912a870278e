/** Deleting a package from an arch-repo, a whole arch-repo, or a whole repo. */
import { NotFoundError } from "../../lib/errors.js";
import { ArchRepoEntity, RepoPackageEntity } from "../store/entities/repo.js";
import { nextLastModified } from "./arch-repo-view.js";
import { releaseFiles } from "./release-files.js";
import { type RepoState, archKey, repoKey } from "./state.js";

/** Removes package `name` from `repo/arch` (an `any` package stays in the other arch-repos). */
export async function removePackage(state: RepoState, repo: string, arch: string, name: string): Promise<void> {
  const released = await state.locks.withKeys([archKey(repo, arch)], async () => {
    const view = await state.view(repo, arch);
    const pkg = view?.get(name);
    if (!view || !pkg) throw new NotFoundError(`package ${name} is not in ${repo}/${arch}`);
    const em = state.em();
    let stamp = { lastModified: 0, serial: 0 };
    await em.transactional(async (tx) => {
      const archRepo = await tx.findOneOrFail(ArchRepoEntity, { id: view.id });
      await tx.nativeDelete(RepoPackageEntity, { archRepo, name });
      archRepo.lastModified = nextLastModified(archRepo.lastModified, state.deps.clock.now());
      archRepo.serial += 1;
      stamp = { lastModified: archRepo.lastModified, serial: archRepo.serial };
    });
    view.remove(name, stamp.lastModified, stamp.serial);
    return [pkg.sha256];
  });
  await releaseFiles(state, released);
}

/** Removes the arch-repo `repo/arch` with all its packages. */
export async function removeArchRepo(state: RepoState, repo: string, arch: string): Promise<void> {
  const released = await state.locks.withKeys([repoKey(repo), archKey(repo, arch)], async () => {
    const digests = await dropArchRepo(state, repo, arch);
    if (digests === undefined) throw new NotFoundError(`arch-repo ${repo}/${arch} does not exist`);
    return digests;
  });
  await releaseFiles(state, released);
}

/** Removes every arch-repo of `repo`. */
export async function removeRepo(state: RepoState, repo: string): Promise<void> {
  const released = await state.locks.withKeys([repoKey(repo)], async () => {
    const rows = await state.em().find(ArchRepoEntity, { repo });
    if (rows.length === 0) throw new NotFoundError(`repo ${repo} does not exist`);
    return state.locks.withKeys(
      rows.map((r) => archKey(repo, r.arch)),
      async () =>
        (await Promise.all(rows.map((r) => dropArchRepo(state, repo, r.arch)))).flat().filter((d) => d !== undefined),
    );
  });
  await releaseFiles(state, released);
}

/** Deletes an arch-repo's rows (the caller holds its locks); undefined when it did not exist. */
async function dropArchRepo(state: RepoState, repo: string, arch: string): Promise<string[] | undefined> {
  const em = state.em();
  const archRepo = await em.findOne(ArchRepoEntity, { repo, arch });
  if (!archRepo) return undefined;
  const digests = (await em.find(RepoPackageEntity, { archRepo }, { fields: ["sha256"] })).map((p) => p.sha256);
  await em.transactional(async (tx) => {
    await tx.nativeDelete(RepoPackageEntity, { archRepo: archRepo.id });
    await tx.nativeDelete(ArchRepoEntity, { id: archRepo.id });
  });
  state.dropView(repo, arch);
  return digests;
}
