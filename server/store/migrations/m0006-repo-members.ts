import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/**
 * Each package's rendered gzip members, so an arch-repo's view loads without
 * recompressing every package. Nullable: rows from before this migration get
 * theirs computed (and stored) the first time their view loads.
 */
export class M0006RepoMembers extends Migration {
  override up(): void {
    addSchema(this, (s) =>
      s.alterTable("repo_package", (t) => {
        t.binary("db_member").nullable();
        t.binary("files_member").nullable();
      }),
    );
  }

  override down(): void {
    addSchema(this, (s) =>
      s.alterTable("repo_package", (t) => {
        t.dropColumn("db_member");
        t.dropColumn("files_member");
      }),
    );
  }
}
