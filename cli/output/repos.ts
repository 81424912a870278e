/** How repos and arch-repos look in each output mode. */
import type { ArchRepo, Repo } from "../../gen/vieter/v1/repo_service_pb.js";
import { dateOf, humanSize, joined, localTime } from "./format.js";
import type { Column } from "./table.js";

/** A repo in `--json`. */
export interface RepoView {
  name: string;
  arches: string[];
}

/** An arch-repo in `--json`. */
export interface ArchRepoView {
  repo: string;
  arch: string;
  packageCount: number;
  /** Bytes. */
  totalSize: number;
  updateTime: Date | null;
}

/** The view of a repo message. */
export function repoView(r: Repo): RepoView {
  return { name: r.name, arches: [...r.arches] };
}

/** The view of an arch-repo message. */
export function archRepoView(a: ArchRepo): ArchRepoView {
  return {
    repo: a.repo,
    arch: a.arch,
    packageCount: a.packageCount,
    totalSize: Number(a.totalSize),
    updateTime: dateOf(a.updateTime),
  };
}

/** `repos list`: one repo per line. */
export const REPO_COLUMNS: readonly Column<RepoView>[] = [
  { header: "repo", cell: (r) => r.name },
  { header: "arches", cell: (r) => joined(r.arches) },
];

/** `repos info`: one arch-repo per line; sizes in bytes when raw. */
export const ARCH_REPO_COLUMNS: readonly Column<ArchRepoView>[] = [
  { header: "arch", cell: (a) => a.arch },
  { header: "packages", cell: (a) => String(a.packageCount), align: "right" },
  { header: "size", cell: (a) => humanSize(a.totalSize), raw: (a) => String(a.totalSize), align: "right" },
  { header: "updated", cell: (a) => localTime(a.updateTime) },
];
