import type { MigrationObject } from "@mikro-orm/core";
import { M0001Initial } from "./m0001-initial.js";

/**
 * Every migration, in order. Listed explicitly (not globbed from disk) so they
 * run the same under tsx, vitest and a bundled build. Names never change once
 * released: they are the keys of the migrations table.
 */
export const migrations: MigrationObject[] = [{ name: "0001-initial", class: M0001Initial }];
