import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/** Targets and their arches. */
export class M0001Initial extends Migration {
  override up(): void {
    addSchema(this, (s, knex) =>
      s
        .createTable("target", (t) => {
          t.increments("id").primary();
          t.text("kind").notNullable();
          t.text("url").notNullable();
          t.text("branch").notNullable().defaultTo("");
          t.text("path").notNullable().defaultTo("");
          t.text("repo").notNullable().index();
          t.text("schedule").notNullable().defaultTo("");
          // A raw default: knex would quote the number, which the schema diff reads as text.
          t.integer("build_timeout_seconds").notNullable().defaultTo(knex.raw("0"));
          t.text("base_image").notNullable().defaultTo("");
          t.datetime("created_at").notNullable();
          t.datetime("updated_at").notNullable();
        })
        .createTable("target_arch", (t) => {
          t.increments("id").primary();
          t.integer("target_id")
            .unsigned()
            .notNullable()
            .references("id")
            .inTable("target")
            .onDelete("cascade")
            .onUpdate("cascade");
          t.text("arch").notNullable().index();
          t.index(["target_id"]);
        }),
    );
  }

  override down(): void {
    addSchema(this, (s) => s.dropTable("target_arch").dropTable("target"));
  }
}
