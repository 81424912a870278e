/**
 * Lean SQL next to the ORM, for the few hot paths (scheduling passes,
 * reconciling 20,000 slots) where hydrating entities costs more than the
 * query. Builders come from knex, so identifiers are quoted per dialect and
 * values are bound, never spliced.
 */
import { UniqueConstraintViolationException } from "@mikro-orm/core";
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

/** Whether `err` (from knex, not the ORM) is a unique-constraint violation, in the database's own words. */
export function isUniqueViolation(em: EntityManager, err: unknown): boolean {
  return err instanceof Error && em.getDriver().convertException(err) instanceof UniqueConstraintViolationException;
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

// `insert into "t" ("a", "b") values ` per dialect, table and columns: a fixed
// set in this code base, and quoting each identifier through knex on every
// insert was most of a one-row insert's garbage (the claim path's successor).
const insertHeads = new Map<string, string>();

function insertHead(db: Knex, table: string, columns: readonly string[]): string {
  const key = [(db.client as { dialect?: string }).dialect ?? "", table, ...columns].join("\0");
  let head = insertHeads.get(key);
  if (head === undefined) {
    const quoted = (name: string) => db.raw("??", [name]).toQuery();
    head = `insert into ${quoted(table)} (${columns.map(quoted).join(", ")}) values `;
    insertHeads.set(key, head);
  }
  return head;
}

/**
 * Inserts rows with multi-row VALUES (standard SQL, which SQLite and
 * PostgreSQL share), chunked, and returns what `suffix` asks for (e.g.
 * `on conflict (x) do nothing returning *`). knex's own multi-row insert
 * compiles to a compound SELECT on SQLite, several times slower.
 */
export async function insertRows<R = Record<string, unknown>>(
  target: EntityManager | Knex,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = "",
): Promise<R[]> {
  const db = typeof target === "function" ? target : sql(target);
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const head = insertHead(db, table, columns);
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
