import type { MigrationObject } from "@mikro-orm/core";
import { M0001Initial } from "./m0001-initial.js";
import { M0002Jobs } from "./m0002-jobs.js";
import { M0003Repo } from "./m0003-repo.js";
import { M0004Logs } from "./m0004-logs.js";
import { M0005CauseTransient } from "./m0005-cause-transient.js";
import { M0006RepoMembers } from "./m0006-repo-members.js";

/**
 * Every migration, in order. Listed explicitly (not globbed from disk) so they
 * run the same under tsx, vitest and a bundled build. Names never change once
 * released: they are the keys of the migrations table.
 */
export const migrations: MigrationObject[] = [
  { name: "0001-initial", class: M0001Initial },
  { name: "0002-jobs", class: M0002Jobs },
  { name: "0003-repo", class: M0003Repo },
  { name: "0004-logs", class: M0004Logs },
  { name: "0005-cause-transient", class: M0005CauseTransient },
  { name: "0006-repo-members", class: M0006RepoMembers },
];
