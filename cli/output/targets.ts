/** How targets look in each output mode. */
import { type Target, TargetKind } from "../../gen/vieter/v1/target_service_pb.js";
import { dateOf, enumWord, joined, localTime } from "./format.js";
import type { Column, Field } from "./table.js";

/** A target as scripts see it in `--json`; field names are part of the CLI's contract. */
export interface TargetView {
  id: number;
  kind: string;
  url: string;
  branch: string;
  path: string;
  repo: string;
  arches: string[];
  /** Empty: the server's global_schedule. */
  schedule: string;
  /** 0: the server's default_build_timeout. */
  buildTimeoutSeconds: number;
  /** Empty: the server's base_image. */
  baseImage: string;
  createTime: Date | null;
  updateTime: Date | null;
}

/** The view of a target message. */
export function targetView(t: Target): TargetView {
  return {
    id: Number(t.id),
    kind: enumWord(TargetKind, t.kind),
    url: t.url,
    branch: t.branch,
    path: t.path,
    repo: t.repo,
    arches: [...t.arches],
    schedule: t.schedule,
    buildTimeoutSeconds: t.buildTimeoutSeconds,
    baseImage: t.baseImage,
    createTime: dateOf(t.createTime),
    updateTime: dateOf(t.updateTime),
  };
}

/** Vieter's columns (id, kind, url, repo) first, so `cut -f1-4` on raw output keeps working. */
export const TARGET_COLUMNS: readonly Column<TargetView>[] = [
  { header: "id", cell: (t) => String(t.id), align: "right" },
  { header: "kind", cell: (t) => t.kind },
  { header: "url", cell: (t) => t.url },
  { header: "repo", cell: (t) => t.repo },
  { header: "arches", cell: (t) => joined(t.arches) },
  { header: "schedule", cell: (t) => t.schedule || "(global)", raw: (t) => t.schedule },
];

/** Every field, in Vieter's `targets info` order, then ours. */
export function targetFields(t: TargetView): Field[] {
  return [
    ["id", String(t.id)],
    ["kind", t.kind],
    ["url", t.url],
    ["branch", t.branch || "(default branch)", t.branch],
    ["path", t.path || "(repository root)", t.path],
    ["repo", t.repo],
    ["schedule", t.schedule || "(server's global_schedule)", t.schedule],
    ["arch", joined(t.arches)],
    [
      "build timeout",
      t.buildTimeoutSeconds === 0 ? "(server default)" : `${t.buildTimeoutSeconds} s`,
      String(t.buildTimeoutSeconds),
    ],
    ["base image", t.baseImage || "(server default)", t.baseImage],
    ["created", localTime(t.createTime)],
    ["updated", localTime(t.updateTime)],
  ];
}
