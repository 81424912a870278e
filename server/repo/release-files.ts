import { RepoPackageEntity } from "../store/entities/repo.js";
import type { RepoState } from "./state.js";

/**
 * Deletes pool files (package and signature) that no package row names any
 * more. Runs after the commit that dropped the last reference; a crash before
 * it leaves a stray file that the start-up sweep removes.
 */
export async function releaseFiles(state: RepoState, digests: Iterable<string>): Promise<void> {
  for (const sha256 of new Set(digests)) {
    await state.fileLocks.withKeys([sha256], async () => {
      const still = await state.em().count(RepoPackageEntity, { sha256 });
      if (still > 0) return;
      await state.deps.pool.remove(sha256, "pkg");
      await state.deps.pool.remove(sha256, "sig");
    });
  }
}
