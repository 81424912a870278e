import type { Knex } from "@mikro-orm/knex";
import type { Migration } from "@mikro-orm/migrations";

/**
 * Queues a knex schema change on a migration. Migrations are written with the
 * knex schema builder rather than raw SQL so the same files run on SQLite and
 * PostgreSQL.
 */
export function addSchema(
  migration: Migration,
  build: (schema: Knex.SchemaBuilder, knex: Knex) => Knex.SchemaBuilder,
): void {
  const knex = migration.getKnex();
  const builder = build(knex.schema, knex);
  for (const statement of builder.toSQL()) {
    migration.addSql(statement.sql);
  }
}
