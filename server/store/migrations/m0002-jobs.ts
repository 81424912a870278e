import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/** Durable jobs, including each target×arch's next scheduled run. */
export class M0002Jobs extends Migration {
  override up(): void {
    addSchema(this, (s, knex) =>
      s.createTable("job", (t) => {
        t.increments("id").primary();
        t.integer("target_id").notNullable();
        t.text("arch").notNullable();
        t.boolean("force").notNullable().defaultTo(knex.raw("false"));
        t.text("reason").notNullable();
        t.text("state").notNullable();
        t.text("agent").notNullable().defaultTo("");
        // A raw default: knex would quote the number, which the schema diff reads as text.
        t.integer("attempt").notNullable().defaultTo(knex.raw("1"));
        t.integer("retry_of_id").nullable();
        t.datetime("created_at").notNullable();
        t.datetime("due_at").notNullable();
        t.datetime("fair_at").notNullable();
        t.datetime("dispatched_at").nullable();
        t.datetime("started_at").nullable();
        t.datetime("ended_at").nullable();
        t.datetime("lease_expires_at").nullable().index();
        t.datetime("cancel_requested_at").nullable();
        t.text("cancel_reason").notNullable().defaultTo("");
        t.text("cause_step").notNullable().defaultTo("");
        t.integer("cause_exit_code").nullable();
        t.text("cause_message").notNullable().defaultTo("");
        t.text("cause_last_lines").notNullable().defaultTo("[]");
        t.text("schedule").notNullable().defaultTo("");
        t.text("time_zone").notNullable().defaultTo("");
        t.boolean("needs_successor").notNullable().defaultTo(knex.raw("false")).index();
        t.text("pending_pair").nullable().unique();
        t.text("active_pair").nullable().unique();
        t.index(["target_id", "arch", "state"]);
        t.index(["arch", "state", "fair_at"]);
      }),
    );
  }

  override down(): void {
    addSchema(this, (s) => s.dropTable("job"));
  }
}
