/**
 * Opens the database and brings its schema up to date with versioned
 * migrations. SQLite (sqlite3 driver) is the embedded default; nothing here
 * relies on SQLite-only behaviour so PostgreSQL can follow.
 */
import { MikroORM } from "@mikro-orm/sqlite";
import { Migrator } from "@mikro-orm/migrations";
import type { Logger } from "pino";
import { entities } from "./entities/index.js";
import { migrations } from "./migrations/index.js";

/** The opened database. */
export type Store = MikroORM;

/** Where the database lives. */
export interface StoreOptions {
  /** SQLite file path, or ":memory:". */
  readonly dbPath: string;
  readonly logger?: Logger;
}

/** Opens the database and applies pending migrations. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const orm = await MikroORM.init({
    dbName: options.dbPath,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    discovery: { warnWhenNoEntities: true },
    allowGlobalContext: false,
    // SQLite checks foreign keys only when asked.
    pool: {
      afterCreate: (conn: any, done: any) =>
        conn.exec(
          "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA case_sensitive_like = ON;",
          done,
        ),
    },
    debug: false,
  });
  const applied = await orm.getMigrator().up();
  for (const m of applied) options.logger?.info({ migration: m.name }, "applied database migration");
  return orm;
}
