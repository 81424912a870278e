import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/** Whether a job's failure may pass by itself, which decides automatic retries. */
export class M0005CauseTransient extends Migration {
  override up(): void {
    addSchema(this, (s, knex) =>
      s.alterTable("job", (t) => {
        // A raw default: knex would quote it, which the schema diff reads as text.
        t.boolean("cause_transient").notNullable().defaultTo(knex.raw("false"));
      }),
    );
  }

  override down(): void {
    addSchema(this, (s) => s.alterTable("job", (t) => t.dropColumn("cause_transient")));
  }
}
