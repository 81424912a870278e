/**
 * Lean SQL next to the ORM, for the few hot paths (scheduling passes,
 * reconciling 20,000 slots) where hydrating entities costs more than the
 * query. Builders come from knex, so identifiers are quoted per dialect and
 * values are bound, never spliced.
 */
import type { Knex } from "@mikro-orm/knex";
import type { EntityManager } from "@mikro-orm/sqlite";

/**
 * A knex builder on the EntityManager's transaction when it has one. Using
 * the bare knex inside a transaction would wait forever for SQLite's single
 * connection.
 */
export function sql(em: EntityManager): Knex {
  return em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
}

/** A Date as the database stores it (epoch milliseconds on SQLite, the Date elsewhere). */
export function toDbDate(em: EntityManager, date: Date): Date | number {
  return em.getPlatform().processDateProperty(date) as Date | number;
}

/** A datetime column's raw value as a Date; null stays undefined. */
export function fromDbDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value : new Date(value as number | string);
}

// Bind parameters per statement stay under SQLite's 32,766; rows under its
// 500-term limit on compound statements.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 450;

/**
 * Inserts rows with multi-row VALUES (standard SQL, which SQLite and
 * PostgreSQL share), chunked, and returns what `suffix` asks for (e.g.
 * `on conflict (x) do nothing returning *`). knex's own multi-row insert
 * compiles to a compound SELECT on SQLite, several times slower.
 */
export async function insertRows<R = Record<string, unknown>>(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = "",
): Promise<R[]> {
  const db = sql(em);
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const head = `insert into ${db.raw("??", [table]).toQuery()} (${columns.map((c) => db.raw("??", [c]).toQuery()).join(", ")}) values `;
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const res = await db.raw(
      `${head}${chunk.map(() => tuple).join(", ")} ${suffix}`,
      chunk.flat() as Knex.RawBinding[],
    );
    // SQLite's driver answers with the rows, PostgreSQL's with a result object.
    out.push(...((Array.isArray(res) ? res : (res?.rows ?? [])) as R[]));
  }
  return out;
}
