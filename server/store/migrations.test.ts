/** An empty database file is migrated to the latest schema when the store opens. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrations } from "./migrations/index.js";
import { openStore } from "./orm.js";

describe("migrations", () => {
  it("brings an empty SQLite file to the latest schema, once", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "vieter-migrate-")), "vieter.sqlite");
    const store = await openStore({ dbPath });
    const conn = store.em.fork().getConnection();
    const tables = (await conn.execute<{ name: string }[]>("select name from sqlite_master where type = 'table'")).map(
      (r) => r.name,
    );
    expect(tables).toEqual(expect.arrayContaining(["target", "target_arch", "mikro_orm_migrations"]));
    const applied = await store.getMigrator().getExecutedMigrations();
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    // The ORM's entity metadata matches the migrated schema: nothing left to change.
    const diff = await store.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
    await store.close();

    const reopened = await openStore({ dbPath });
    expect(await reopened.getMigrator().getPendingMigrations()).toEqual([]);
    expect((await reopened.getMigrator().getExecutedMigrations()).length).toBe(migrations.length);
    await reopened.close();
  });
});
