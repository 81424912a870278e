import { type InferEntity, defineEntity, p } from "@mikro-orm/core";

/**
 * One architecture of one repository: what pacman syncs. `lastModified`
 * (whole seconds) strictly increases with every change, because pacman asks
 * with If-Modified-Since at one-second resolution.
 */
export const ArchRepoEntity = defineEntity({
  name: "ArchRepo",
  tableName: "arch_repo",
  uniques: [{ properties: ["repo", "arch"] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    repo: p.text(),
    arch: p.text(),
    lastModified: p.bigint("number"),
    serial: p.bigint("number"),
    createdAt: p.datetime(),
    packages: () => p.oneToMany(RepoPackageEntity).mappedBy("archRepo"),
  },
});

/**
 * A package in an arch-repo. Its rendered `desc`/`files` entries are kept so
 * the database archives are assembled, never re-derived from package files.
 * The file itself lives once in the pool under its SHA-256, shared by the
 * arch-repos an `any` package is in.
 */
export const RepoPackageEntity = defineEntity({
  name: "RepoPackage",
  tableName: "repo_package",
  uniques: [{ properties: ["archRepo", "name"] }],
  indexes: [{ properties: ["archRepo", "filename"] }, { properties: ["sha256"] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    archRepo: () => p.manyToOne(ArchRepoEntity).deleteRule("cascade"),
    name: p.text(),
    base: p.text(),
    version: p.text(),
    arch: p.text(),
    filename: p.text(),
    compressedSize: p.bigint("number"),
    installedSize: p.bigint("number"),
    sha256: p.text(),
    descEntry: p.text(),
    filesEntry: p.text(),
    /** The parsed .PKGINFO as JSON, for RepoService. */
    info: p.text(),
    /** Base64 detached signature, when one was published. */
    signature: p.text().nullable(),
    publishedAt: p.datetime(),
    /**
     * The gzip members the `.db` and `.files` archives concatenate (see
     * server/repo/db-members.ts); null on rows older than the columns until
     * their view first loads.
     */
    dbMember: p.blob().nullable(),
    filesMember: p.blob().nullable(),
  },
});

export type ArchRepoRow = InferEntity<typeof ArchRepoEntity>;
export type RepoPackageRow = InferEntity<typeof RepoPackageEntity>;
