/**
 * Start-up: whatever a crash interrupted is resolved here. Rows are only
 * committed after their file is durable, so the database is the truth; temp
 * uploads and pool files no row names are removed. Archives are assembled
 * from the rows, so they need no repair.
 */
import { access } from "node:fs/promises";
import { RepoPackageEntity } from "../store/entities/repo.js";
import type { RepoState } from "./state.js";

/** What recovery did. */
export interface RecoveryReport {
  readonly removedFiles: number;
  readonly missingFiles: string[];
}

/** Sweeps the pool against the database; reports rows whose file is missing. */
export async function recoverRepository(state: RepoState): Promise<RecoveryReport> {
  await state.deps.pool.init();
  const rows = await state.em().find(RepoPackageEntity, {}, { fields: ["sha256", "signature", "filename"] });
  const referenced = new Set(rows.map((r) => r.sha256));
  const removedFiles = await state.deps.pool.sweep(referenced);
  const missing: string[] = [];
  for (const sha of referenced) {
    try {
      await access(state.deps.pool.pathOf(sha));
    } catch {
      missing.push(sha);
    }
  }
  if (removedFiles > 0) state.deps.logger.info({ removedFiles }, "removed stray package files");
  if (missing.length > 0) state.deps.logger.error({ missing }, "package rows whose file is missing");
  return { removedFiles, missingFiles: missing };
}
