import { type InferEntity, defineEntity, p } from "@mikro-orm/core";

/** A build target row. Arches live in their own table so filters stay portable SQL. */
export const TargetEntity = defineEntity({
  name: "Target",
  tableName: "target",
  properties: {
    id: p.integer().primary().autoincrement(),
    kind: p.string().length(16),
    url: p.text(),
    branch: p.text().default(""),
    path: p.text().default(""),
    repo: p.string().length(255).index(),
    schedule: p.string().length(255).default(""),
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
    arch: p.string().length(64).index(),
  },
});

export type TargetRow = InferEntity<typeof TargetEntity>;
export type TargetArchRow = InferEntity<typeof TargetArchEntity>;
