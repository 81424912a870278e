import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { ServerConfig } from "../config.js";
import type { Store } from "../store/orm.js";
import { PackagePool } from "./pool.js";
import { Repository } from "./repository.js";

/** The repository as the server's configuration sets it up. */
export function createRepository(
  config: ServerConfig,
  store: Store,
  pkgDir: string,
  clock: Clock,
  logger: Logger,
): Repository {
  const downgrades = new Set(config.allow_downgrade_repos);
  return new Repository({
    store,
    pool: new PackagePool(pkgDir),
    clock,
    logger,
    settings: {
      defaultArch: config.default_arch,
      allowsDowngrade: (repo) => downgrades.has("*") || downgrades.has(repo),
    },
  });
}
