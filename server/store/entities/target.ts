import { type InferEntity, defineEntity, p } from "@mikro-orm/core";

/**
 * A build target row. Arches live in their own table so filters stay portable
 * SQL. Strings are `text` on every dialect, which keeps the migrations and the
 * entities in exact agreement.
 */
export const TargetEntity = defineEntity({
  name: "Target",
  tableName: "target",
  properties: {
    id: p.integer().primary().autoincrement(),
    kind: p.text(),
    url: p.text(),
    branch: p.text().default(""),
    path: p.text().default(""),
    repo: p.text().index(),
    schedule: p.text().default(""),
    buildTimeoutSeconds: p.integer().default(0),
    baseImage: p.text().default(""),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    arches: () => p.oneToMany(TargetArchEntity).mappedBy("target").orphanRemoval(),
  },
});

/** One architecture of a target. */
export const TargetArchEntity = defineEntity({
  name: "TargetArch",
  tableName: "target_arch",
  properties: {
    id: p.integer().primary().autoincrement(),
    target: () => p.manyToOne(TargetEntity).deleteRule("cascade"),
    arch: p.text().index(),
  },
});

export type TargetRow = InferEntity<typeof TargetEntity>;
export type TargetArchRow = InferEntity<typeof TargetArchEntity>;
