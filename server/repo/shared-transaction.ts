/**
 * The SQL of concurrent publish batches in one SQLite transaction. Batches
 * of different arch-repos commit side by side (each holding its own
 * arch-repo locks), but SQLite has one connection and one writer, so their
 * transactions would only queue up, each paying its own BEGIN, COMMIT and
 * WAL fsync. Instead, the writes that arrive while a transaction commits
 * form the next one (group-commit.ts). Two batches in one transaction never
 * touch the same arch-repo: each holds that arch-repo's lock until its
 * write is committed.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { insertRows, sql } from "../store/sql.js";
import { GroupCommitter } from "./group-commit.js";
import type { RepoState } from "./state.js";

/** What one batch writes: package rows to upsert, and each of its arch-repos' new stamps. */
export interface BatchWrites {
  readonly rows: readonly (readonly unknown[])[];
  readonly archRepos: readonly { readonly id: number; readonly lastModified: number; readonly serial: number }[];
}

/** The `repo_package` columns, in the order of a row in {@link BatchWrites.rows}. */
export const PACKAGE_COLUMNS = [
  "arch_repo_id",
  "name",
  "base",
  "version",
  "arch",
  "filename",
  "compressed_size",
  "installed_size",
  "sha256",
  "desc_entry",
  "files_entry",
  "info",
  "signature",
  "published_at",
  "db_member",
  "files_member",
] as const;

const UPSERT = `on conflict (arch_repo_id, name) do update set ${PACKAGE_COLUMNS.slice(2)
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")}`;

/** Resolves once the batch's writes are committed (with whichever others joined the transaction). */
export type SharedTransaction = GroupCommitter<BatchWrites, void>;

/** One shared transaction queue for a repository's batches. */
export function createSharedTransaction(state: RepoState): SharedTransaction {
  return new GroupCommitter<BatchWrites, void>(async (_key, writes) => {
    await state.em().transactional(async (tx) => {
      const em = tx as EntityManager;
      await insertRows(
        em,
        "repo_package",
        PACKAGE_COLUMNS,
        writes.flatMap((w) => w.rows),
        UPSERT,
      );
      await updateStamps(
        em,
        writes.flatMap((w) => w.archRepos),
      );
    });
    return writes.map(() => ({ value: undefined }));
  });
}

/** The queue key: every batch of a server shares SQLite's one writer. */
export const SHARED_TRANSACTION_KEY = "sqlite";

/** Every arch-repo's new stamps in one statement (standard SQL, so PostgreSQL could run it too). */
async function updateStamps(em: EntityManager, archRepos: BatchWrites["archRepos"]): Promise<void> {
  if (archRepos.length === 0) return;
  const cases = archRepos.map(() => "when ? then ?").join(" ");
  const bindings = [
    ...archRepos.flatMap((a) => [a.id, a.lastModified]),
    ...archRepos.flatMap((a) => [a.id, a.serial]),
    ...archRepos.map((a) => a.id),
  ];
  await sql(em).raw(
    `update arch_repo set last_modified = case id ${cases} end, serial = case id ${cases} end ` +
      `where id in (${archRepos.map(() => "?").join(", ")})`,
    bindings,
  );
}
