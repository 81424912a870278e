/**
 * Loading an arch-repo's view from its rows: plain SQL selecting only what
 * the routes serve (no ORM hydration of 10,000 full rows), with each
 * package's archive members as stored at publish. Rows from before the
 * member columns get theirs rendered here once and written back, so the
 * recompression is paid once, ever.
 */
import type { EntityManager } from "@mikro-orm/sqlite";
import { fromDbDate, sql } from "../store/sql.js";
import { ArchRepoView, type ServedPackage } from "./arch-repo-view.js";
import { type PackageMembers, packageMembers } from "./db-members.js";

/** The arch-repo fields a view starts from. */
export interface ArchRepoHead {
  readonly id: number;
  readonly repo: string;
  readonly arch: string;
  readonly lastModified: number;
  readonly serial: number;
}

interface ViewRow {
  name: string;
  version: string;
  arch: string;
  filename: string;
  sha256: string;
  compressed_size: number | bigint;
  signed: number;
  desc_entry: string;
  db_member: Buffer | null;
  files_member: Buffer | null;
  /** Only read for rows whose members are missing: it is the largest column. */
  files_entry: string | null;
  published_at: unknown;
}

/** Builds a view from the stored rows of an arch-repo; stores members that were missing. */
export async function loadView(em: EntityManager, head: ArchRepoHead): Promise<ArchRepoView> {
  const view = new ArchRepoView(head.id, head.repo, head.arch, Number(head.lastModified), Number(head.serial));
  const db = sql(em);
  const rows = (await db("repo_package")
    .select(
      "name",
      "version",
      "arch",
      "filename",
      "sha256",
      "compressed_size",
      db.raw("signature is not null as signed"),
      "desc_entry",
      "db_member",
      "files_member",
      db.raw("case when db_member is null or files_member is null then files_entry end as files_entry"),
      "published_at",
    )
    .where("arch_repo_id", head.id)
    .orderBy("id", "asc")) as ViewRow[];
  const computed: { name: string; members: PackageMembers }[] = [];
  for (const row of rows) {
    const publishedAt = fromDbDate(row.published_at)!;
    let members: PackageMembers;
    if (row.db_member && row.files_member) {
      members = { db: row.db_member, files: row.files_member };
    } else {
      members = packageMembers(`${row.name}-${row.version}`, row.desc_entry, row.files_entry ?? "", publishedAt);
      computed.push({ name: row.name, members });
    }
    view.load(servedPackage(row, members, publishedAt));
  }
  if (computed.length > 0) await storeMembers(em, head.id, computed);
  return view;
}

function servedPackage(row: ViewRow, members: PackageMembers, publishedAt: Date): ServedPackage {
  return {
    name: row.name,
    version: row.version,
    arch: row.arch,
    filename: row.filename,
    sha256: row.sha256,
    compressedSize: Number(row.compressed_size),
    signed: Boolean(row.signed),
    desc: row.desc_entry,
    members,
    publishedAt,
  };
}

/**
 * Writes back members rendered at load. Only where they are still missing:
 * every writer of a row stores its members, so a non-null value is newer
 * than what this load rendered.
 */
async function storeMembers(
  em: EntityManager,
  archRepoId: number,
  computed: readonly { name: string; members: PackageMembers }[],
): Promise<void> {
  await em.transactional(async (tx) => {
    const db = sql(tx as EntityManager);
    for (const { name, members } of computed) {
      await db("repo_package")
        .where({ arch_repo_id: archRepoId, name })
        .where((q) => q.whereNull("db_member").orWhereNull("files_member"))
        .update({ db_member: members.db, files_member: members.files });
    }
  });
}
