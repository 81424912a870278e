/** How packages look in each output mode. */
import type { Package } from "../../gen/vieter/v1/repo_service_pb.js";
import { dateOf, humanSize, localTime } from "./format.js";
import type { Column, Field } from "./table.js";

/** A package in `--json`; `files` only when the command asked for them. */
export interface PackageView {
  repo: string;
  repoArch: string;
  name: string;
  base: string;
  version: string;
  description: string;
  arch: string;
  filename: string;
  compressedSize: number;
  installedSize: number;
  sha256: string;
  url: string;
  licenses: string[];
  groups: string[];
  buildTime: Date | null;
  packager: string;
  depends: string[];
  optdepends: string[];
  makedepends: string[];
  checkdepends: string[];
  provides: string[];
  conflicts: string[];
  replaces: string[];
  backup: string[];
  signed: boolean;
  publishTime: Date | null;
  files?: string[];
}

/** The view of a package message; `withFiles` keeps its file list. */
export function packageView(p: Package, withFiles: boolean): PackageView {
  return {
    repo: p.repo,
    repoArch: p.repoArch,
    name: p.name,
    base: p.base,
    version: p.version,
    description: p.description,
    arch: p.arch,
    filename: p.filename,
    compressedSize: Number(p.compressedSize),
    installedSize: Number(p.installedSize),
    sha256: p.sha256,
    url: p.url,
    licenses: [...p.licenses],
    groups: [...p.groups],
    buildTime: dateOf(p.buildTime),
    packager: p.packager,
    depends: [...p.depends],
    optdepends: [...p.optdepends],
    makedepends: [...p.makedepends],
    checkdepends: [...p.checkdepends],
    provides: [...p.provides],
    conflicts: [...p.conflicts],
    replaces: [...p.replaces],
    backup: [...p.backup],
    signed: p.signed,
    publishTime: dateOf(p.publishTime),
    ...(withFiles ? { files: [...p.files] } : {}),
  };
}

/** `repos packages`: one package per line. */
export const PACKAGE_COLUMNS: readonly Column<PackageView>[] = [
  { header: "name", cell: (p) => p.name },
  { header: "version", cell: (p) => p.version },
  { header: "arch-repo", cell: (p) => p.repoArch },
  { header: "arch", cell: (p) => p.arch },
  { header: "size", cell: (p) => humanSize(p.compressedSize), raw: (p) => String(p.compressedSize), align: "right" },
  { header: "published", cell: (p) => localTime(p.publishTime) },
];

const list = (items: readonly string[]): string => (items.length === 0 ? "None" : items.join("  "));

/** `repos package`: every field, named and ordered like `pacman -Si`. */
export function packageFields(p: PackageView): Field[] {
  return [
    ["Repository", `${p.repo} (${p.repoArch})`, `${p.repo}/${p.repoArch}`],
    ["Name", p.name],
    ["Base", p.base],
    ["Version", p.version],
    ["Description", p.description],
    ["Architecture", p.arch],
    ["URL", p.url],
    ["Licenses", list(p.licenses), p.licenses.join(",")],
    ["Groups", list(p.groups), p.groups.join(",")],
    ["Provides", list(p.provides), p.provides.join(",")],
    ["Depends On", list(p.depends), p.depends.join(",")],
    ["Optional Deps", list(p.optdepends), p.optdepends.join(",")],
    ["Make Deps", list(p.makedepends), p.makedepends.join(",")],
    ["Check Deps", list(p.checkdepends), p.checkdepends.join(",")],
    ["Conflicts With", list(p.conflicts), p.conflicts.join(",")],
    ["Replaces", list(p.replaces), p.replaces.join(",")],
    ["Backup Files", list(p.backup), p.backup.join(",")],
    ["File Name", p.filename],
    ["Download Size", humanSize(p.compressedSize), String(p.compressedSize)],
    ["Installed Size", humanSize(p.installedSize), String(p.installedSize)],
    ["SHA-256", p.sha256],
    ["Packager", p.packager],
    ["Build Date", localTime(p.buildTime)],
    ["Published", localTime(p.publishTime)],
    ["Signed", p.signed ? "Yes" : "No", String(p.signed)],
  ];
}
