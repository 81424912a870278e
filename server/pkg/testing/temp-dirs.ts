// Temporary directories for test helpers, removed by cleanupTempDirs() (call
// it in afterAll) or, failing that, when the process exits normally. vitest
// may end its workers without an "exit" event, so the explicit call matters.
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created = new Set<string>();
process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Creates a temporary directory that {@link cleanupTempDirs} will remove. */
export async function tempDir(prefix = "vieter-pkg-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir} (and so by makePackage and tarTree) in this process. */
export async function cleanupTempDirs(): Promise<void> {
  const dirs = [...created];
  created.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
