/**
 * What the repository operations share: the database, the pool, the locks
 * and the lazily loaded arch-repo views.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { ArchRepoEntity } from "../store/entities/repo.js";
import type { Store } from "../store/orm.js";
import { type ArchRepoView } from "./arch-repo-view.js";
import { type BatchResult, type PublishJob, commitBatch } from "./commit-batch.js";
import { GroupCommitter } from "./group-commit.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { type SharedTransaction, createSharedTransaction } from "./shared-transaction.js";
import { loadView } from "./load-view.js";
import type { PackagePool } from "./pool.js";

/** Settings the repository follows. */
export interface RepoSettings {
  /** Arch-repo that `any` packages always go to. */
  readonly defaultArch: string;
  /** Whether a repo accepts older versions replacing newer ones. */
  allowsDowngrade(repo: string): boolean;
}

/** Dependencies of the repository operations. */
export interface RepoDeps {
  readonly store: Store;
  readonly pool: PackagePool;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: RepoSettings;
}

/** The lock key of an arch-repo; `repoKey` guards the set of arch-repos of a repo. */
export const archKey = (repo: string, arch: string): string => `${repo}/${arch}`;
/** Sorts before every arch key of the repo ("*" < letters and digits), keeping lock order fixed. */
export const repoKey = (repo: string): string => `${repo}/*`;

/** Shared state of one server's repositories. */
export class RepoState {
  /** Arch-repo and repo locks. */
  readonly locks = new KeyedMutex();
  /** Pool-file locks (by digest), taken after arch-repo locks. */
  readonly fileLocks = new KeyedMutex();
  /** Publishes into existing arch-repos, batched per set of arch-repos. */
  readonly commits = new GroupCommitter<PublishJob, BatchResult>((_key, jobs) => commitBatch(this, jobs));
  /** The SQL of batches committing at the same time, in one transaction. */
  readonly transaction: SharedTransaction = createSharedTransaction(this);
  private readonly views = new Map<string, Promise<ArchRepoView | undefined>>();

  constructor(readonly deps: RepoDeps) {}

  /** A fresh EntityManager for one operation. */
  em(): EntityManager {
    return this.deps.store.em.fork() as EntityManager;
  }

  /** The arch-repo's view, loaded from the database on first use; undefined if it does not exist. */
  view(repo: string, arch: string): Promise<ArchRepoView | undefined> {
    const key = archKey(repo, arch);
    let view = this.views.get(key);
    if (!view) {
      view = this.load(repo, arch);
      this.views.set(key, view);
      // A missing arch-repo is not cached (a publish may create it), nor a failed load (the next request retries).
      const forget = () => this.views.get(key) === view && this.views.delete(key);
      view.then((v) => v === undefined && forget(), forget);
    }
    return view;
  }

  /** Installs the view of a newly created arch-repo. */
  setView(view: ArchRepoView): void {
    this.views.set(archKey(view.repo, view.arch), Promise.resolve(view));
  }

  /** Forgets an arch-repo's view after it was deleted. */
  dropView(repo: string, arch: string): void {
    this.views.delete(archKey(repo, arch));
  }

  /**
   * Loads every arch-repo's view, one at a time, so the first pacman request
   * after a start finds its archive ready. A view already loading or loaded
   * is shared, never loaded twice.
   */
  async warmViews(): Promise<number> {
    const rows = await this.em().find(ArchRepoEntity, {}, { fields: ["repo", "arch"], orderBy: { id: "asc" } });
    for (const row of rows) await this.view(row.repo, row.arch);
    return rows.length;
  }

  private async load(repo: string, arch: string): Promise<ArchRepoView | undefined> {
    const em = this.em();
    const row = await em.findOne(ArchRepoEntity, { repo, arch });
    return row ? loadView(em, row) : undefined;
  }
}
