import { join } from "node:path";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { ServerConfig } from "../config.js";
import type { Store } from "../store/orm.js";
import { ArchiveFiles } from "./archive-files.js";
import { PackagePool } from "./pool.js";
import { Repository } from "./repository.js";

/** The repository as the server's configuration sets it up; `archiveFiles`: also write archives to `<pkgDir>/archives`. */
export function createRepository(
  config: ServerConfig,
  store: Store,
  pkgDir: string,
  clock: Clock,
  logger: Logger,
  options: { readonly archiveFiles?: boolean } = {},
): Repository {
  const downgrades = new Set(config.allow_downgrade_repos);
  return new Repository({
    store,
    pool: new PackagePool(pkgDir),
    clock,
    logger,
    ...(options.archiveFiles ? { archiveFiles: new ArchiveFiles(join(pkgDir, "archives"), logger) } : {}),
    settings: {
      defaultArch: config.default_arch,
      allowsDowngrade: (repo) => downgrades.has("*") || downgrades.has(repo),
    },
  });
}
