/** Read-only views of the repositories for RepoService, straight from the database. */
import { NotFoundError } from "../../lib/errors.js";
import type { PackageInfo } from "../pkg/pkginfo.js";
import { ArchRepoEntity, RepoPackageEntity, type RepoPackageRow } from "../store/entities/repo.js";
import type { RepoState } from "./state.js";

/** A repo and its arch-repos. */
export interface RepoSummary {
  readonly name: string;
  readonly arches: string[];
}

/** Totals of one arch-repo. */
export interface ArchRepoSummary {
  readonly repo: string;
  readonly arch: string;
  readonly packageCount: number;
  readonly totalSize: number;
  readonly updatedAt: Date;
}

/** A package with everything RepoService shows. */
export interface PackageDetails {
  readonly repo: string;
  readonly repoArch: string;
  readonly info: PackageInfo;
  readonly filename: string;
  readonly compressedSize: number;
  readonly sha256: string;
  readonly signed: boolean;
  readonly publishedAt: Date;
  /** Only filled by {@link getPackage}. */
  readonly files: string[];
}

/** Every repo, by name. */
export async function listRepos(state: RepoState): Promise<RepoSummary[]> {
  const rows = await state.em().find(ArchRepoEntity, {}, { orderBy: { repo: "asc", arch: "asc" } });
  const byRepo = new Map<string, string[]>();
  for (const r of rows) byRepo.set(r.repo, [...(byRepo.get(r.repo) ?? []), r.arch]);
  return [...byRepo].map(([name, arches]) => ({ name, arches }));
}

/** The arch-repos of `repo` with counts and sizes; NotFoundError for an unknown repo. */
export async function listArchRepos(state: RepoState, repo: string): Promise<ArchRepoSummary[]> {
  const em = state.em();
  const rows = await em.find(ArchRepoEntity, { repo }, { orderBy: { arch: "asc" } });
  if (rows.length === 0) throw new NotFoundError(`repo ${repo} does not exist`);
  const out: ArchRepoSummary[] = [];
  for (const r of rows) {
    const packages = await em.find(RepoPackageEntity, { archRepo: r.id }, { fields: ["compressedSize"] });
    out.push({
      repo,
      arch: r.arch,
      packageCount: packages.length,
      totalSize: packages.reduce((sum, p) => sum + p.compressedSize, 0),
      updatedAt: new Date(r.lastModified * 1000),
    });
  }
  return out;
}

/** A page of packages of `repo` (optionally one arch), by name then arch; and the total. */
export async function listPackages(
  state: RepoState,
  filter: { repo: string; arch?: string; query?: string; limit: number; offset: number },
): Promise<{ packages: PackageDetails[]; total: number }> {
  const where = {
    archRepo: { repo: filter.repo, ...(filter.arch ? { arch: filter.arch } : {}) },
    ...(filter.query ? { name: { $like: `%${filter.query.replace(/[\\%_]/g, "")}%` } } : {}),
  };
  const [rows, total] = await state.em().findAndCount(RepoPackageEntity, where, {
    populate: ["archRepo"],
    orderBy: { name: "asc", archRepo: { arch: "asc" } },
    limit: filter.limit,
    offset: filter.offset,
    exclude: ["filesEntry", "descEntry"],
  });
  return { packages: rows.map((r) => details(r as RepoPackageRow, false)), total };
}

/** One package with its file list; NotFoundError when absent. */
export async function getPackage(state: RepoState, repo: string, arch: string, name: string): Promise<PackageDetails> {
  const row = await state
    .em()
    .findOne(RepoPackageEntity, { archRepo: { repo, arch }, name }, { populate: ["archRepo"] });
  if (!row) throw new NotFoundError(`package ${name} is not in ${repo}/${arch}`);
  return details(row, true);
}

function details(row: RepoPackageRow, withFiles: boolean): PackageDetails {
  return {
    repo: row.archRepo.repo,
    repoArch: row.archRepo.arch,
    info: JSON.parse(row.info) as PackageInfo,
    filename: row.filename,
    compressedSize: row.compressedSize,
    sha256: row.sha256,
    signed: row.signature !== null && row.signature !== undefined,
    publishedAt: row.publishedAt,
    files: withFiles
      ? row.filesEntry
          .split("\n")
          .slice(1)
          .filter((l) => l !== "")
      : [],
  };
}
