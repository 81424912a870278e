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
