/**
 * The target fields `targets add` and `targets edit` share, as flags, and
 * their translation into a Target message plus the update mask naming
 * exactly the flags that were given.
 */
import { type Command, Option } from "commander";
import { TargetKind } from "../../../gen/vieter/v1/target_service_pb.js";
import { archList, integer } from "../../arguments.js";

/** The values of the target flags; a flag not given is undefined. */
export interface TargetFlags {
  kind?: string;
  url?: string;
  repo?: string;
  branch?: string;
  path?: string;
  arch?: string[];
  schedule?: string;
  timeout?: number;
  baseImage?: string;
}

/** The fields of a Target message the flags can set. */
export interface TargetFields {
  kind?: TargetKind;
  url?: string;
  repo?: string;
  branch?: string;
  path?: string;
  arches?: string[];
  schedule?: string;
  buildTimeoutSeconds?: number;
  baseImage?: string;
}

const KINDS: Record<string, TargetKind> = { git: TargetKind.GIT, url: TargetKind.URL };

/** Adds the field flags; `edit` adds --url and --repo, which `add` takes as arguments. */
export function targetFlags(cmd: Command, mode: "add" | "edit"): Command {
  const kind = new Option("--kind <kind>", "git: clone url; url: url is a PKGBUILD").choices(Object.keys(KINDS));
  if (mode === "add") kind.default("git");
  cmd.addOption(kind);
  if (mode === "edit") {
    cmd.option("--url <url>", "git clone URL, or PKGBUILD URL for kind url");
    cmd.option("--repo <repo>", "repository the built packages are published to");
  }
  return cmd
    .option("--branch <branch>", 'git branch to build ("" for the default branch)')
    .option("--path <path>", 'subdirectory of the git repository holding the PKGBUILD ("" for the root)')
    .option("--arch <arch>", "architecture to build for; repeat or comma-separate for several", archList)
    .option("--schedule <cron>", 'when to build, "minute hour day month" ("" for the server\'s global_schedule)')
    .option("--timeout <seconds>", "build timeout (0 for the server's default_build_timeout)", integer(0, 604_800))
    .option("--base-image <image>", 'builder base image ("" for the server\'s base_image)');
}

/** The message fields set by the flags, and their proto names for an update mask. */
export function fieldsFromFlags(flags: TargetFlags): { fields: TargetFields; mask: string[] } {
  const fields: TargetFields = {};
  const mask: string[] = [];
  const set = <K extends keyof TargetFields>(path: string, key: K, value: TargetFields[K] | undefined): void => {
    if (value === undefined) return;
    fields[key] = value;
    mask.push(path);
  };
  set("kind", "kind", flags.kind === undefined ? undefined : KINDS[flags.kind]);
  set("url", "url", flags.url);
  set("repo", "repo", flags.repo);
  set("branch", "branch", flags.branch);
  set("path", "path", flags.path);
  set("arches", "arches", flags.arch);
  set("schedule", "schedule", flags.schedule);
  set("build_timeout_seconds", "buildTimeoutSeconds", flags.timeout);
  set("base_image", "baseImage", flags.baseImage);
  return { fields, mask };
}
