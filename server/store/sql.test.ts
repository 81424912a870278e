import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestContext, createTestContext } from "../testing/app-context.js";
import { insertRows, isUniqueViolation, sql } from "./sql.js";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.dispose();
});

// Statements run on plain knex (the claim path) raise the driver's raw
// error; the ORM's converter must still recognise a unique violation.
describe("isUniqueViolation", () => {
  it("recognises a unique violation raised through knex, inside a knex transaction too", async () => {
    const em = ctx.store.em.fork();
    await em.getConnection().execute("create table pairs (pair text unique)");
    await insertRows(em, "pairs", ["pair"], [["1/x86_64"]]);
    const direct = await insertRows(em, "pairs", ["pair"], [["1/x86_64"]]).catch((err: unknown) => err);
    expect(isUniqueViolation(em, direct)).toBe(true);
    const inTransaction = await sql(em)
      .transaction(async (trx) => {
        await insertRows(trx, "pairs", ["pair"], [["2/x86_64"]]);
        await insertRows(trx, "pairs", ["pair"], [["1/x86_64"]]);
      })
      .catch((err: unknown) => err);
    expect(isUniqueViolation(em, inTransaction)).toBe(true);
    // The transaction rolled back: its first statement's row is not there.
    expect(await em.getConnection().execute("select pair from pairs")).toEqual([{ pair: "1/x86_64" }]);
  });

  it("does not mistake other errors for one", async () => {
    const em = ctx.store.em.fork();
    const missingTable = await insertRows(em, "no_such_table", ["a"], [[1]]).catch((err: unknown) => err);
    expect(missingTable).toBeInstanceOf(Error);
    expect(isUniqueViolation(em, missingTable)).toBe(false);
    expect(isUniqueViolation(em, "a string")).toBe(false);
  });
});
