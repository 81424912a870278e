/** How AUR packages look in each output mode. */
import type { AurPackage } from "../aur-client.js";
import { localTime } from "./format.js";
import type { Column } from "./table.js";

/** An AUR package in `--json`. */
export interface AurPackageView {
  name: string;
  base: string;
  version: string;
  description: string;
  url: string;
  votes: number;
  popularity: number;
  maintainer: string | null;
  outOfDate: Date | null;
  lastModified: Date;
}

const unix = (seconds: number): Date => new Date(seconds * 1000);

/** The view of an RPC result. */
export function aurPackageView(p: AurPackage): AurPackageView {
  return {
    name: p.Name,
    base: p.PackageBase,
    version: p.Version,
    description: p.Description ?? "",
    url: p.URL ?? "",
    votes: p.NumVotes,
    popularity: p.Popularity,
    maintainer: p.Maintainer,
    outOfDate: p.OutOfDate === null ? null : unix(p.OutOfDate),
    lastModified: unix(p.LastModified),
  };
}

/** `aur search`: one package per line. */
export const AUR_COLUMNS: readonly Column<AurPackageView>[] = [
  { header: "name", cell: (p) => p.name },
  { header: "version", cell: (p) => (p.outOfDate ? `${p.version} (out of date)` : p.version), raw: (p) => p.version },
  { header: "votes", cell: (p) => String(p.votes), align: "right" },
  { header: "updated", cell: (p) => localTime(p.lastModified).slice(0, 10), raw: (p) => localTime(p.lastModified) },
  { header: "description", cell: (p) => p.description },
];
