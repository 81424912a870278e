import { Migration } from "@mikro-orm/migrations";
import { addSchema } from "./schema-builder.js";

/** Arch-repos and their packages. */
export class M0003Repo extends Migration {
  override up(): void {
    addSchema(this, (s) =>
      s
        .createTable("arch_repo", (t) => {
          t.increments("id").primary();
          t.text("repo").notNullable();
          t.text("arch").notNullable();
          t.bigInteger("last_modified").notNullable();
          t.bigInteger("serial").notNullable();
          t.datetime("created_at").notNullable();
          t.unique(["repo", "arch"]);
        })
        .createTable("repo_package", (t) => {
          t.increments("id").primary();
          t.integer("arch_repo_id")
            .unsigned()
            .notNullable()
            .references("id")
            .inTable("arch_repo")
            .onDelete("cascade")
            .onUpdate("cascade");
          t.text("name").notNullable();
          t.text("base").notNullable();
          t.text("version").notNullable();
          t.text("arch").notNullable();
          t.text("filename").notNullable();
          t.bigInteger("compressed_size").notNullable();
          t.bigInteger("installed_size").notNullable();
          t.text("sha256").notNullable();
          t.text("desc_entry").notNullable();
          t.text("files_entry").notNullable();
          t.text("info").notNullable();
          t.text("signature").nullable();
          t.datetime("published_at").notNullable();
          t.unique(["arch_repo_id", "name"]);
          t.index(["arch_repo_id"]);
          t.index(["arch_repo_id", "filename"]);
          t.index(["sha256"]);
        }),
    );
  }

  override down(): void {
    addSchema(this, (s) => s.dropTable("repo_package").dropTable("arch_repo"));
  }
}
