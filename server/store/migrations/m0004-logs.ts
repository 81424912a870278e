import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/** Build log metadata; the content lives in files under `<data_dir>/logs/`. */
export class M0004Logs extends Migration {
  override up(): void {
    addSchema(this, (s, knex) =>
      s.createTable("build_log", (t) => {
        t.increments("id").primary();
        t.integer("job_id").notNullable().unique();
        t.integer("target_id").notNullable();
        t.text("arch").notNullable();
        t.text("agent").notNullable().defaultTo("");
        t.datetime("started_at").notNullable();
        t.datetime("ended_at").nullable();
        t.integer("exit_code").nullable();
        t.text("result").notNullable();
        t.text("cause_step").notNullable().defaultTo("");
        t.text("cause_message").notNullable().defaultTo("");
        t.text("cause_last_lines").notNullable().defaultTo("[]");
        // Raw defaults: knex would quote them, which the schema diff reads as text.
        t.bigInteger("size").notNullable().defaultTo(knex.raw("0"));
        t.boolean("compressed").notNullable().defaultTo(knex.raw("false"));
        t.boolean("synthetic").notNullable().defaultTo(knex.raw("false"));
        t.index(["started_at"]);
        t.index(["target_id", "started_at"]);
      }),
    );
  }

  override down(): void {
    addSchema(this, (s) => s.dropTable("build_log"));
  }
}
