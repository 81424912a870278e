import type { ScheduleSettings } from "../scheduler/index.js";

/** How a target's PKGBUILD is fetched. */
export type TargetKind = "git" | "url";

/** The kinds a target may have. */
export const TARGET_KINDS: readonly TargetKind[] = ["git", "url"];

/** A build target: a PKGBUILD source, the repo to publish to, arches and a schedule. */
export interface Target {
  readonly id: number;
  readonly kind: TargetKind;
  readonly url: string;
  readonly branch: string;
  readonly path: string;
  readonly repo: string;
  readonly arches: readonly string[];
  /** Empty means the server's global schedule. */
  readonly schedule: string;
  /** 0 means the server's default build timeout. */
  readonly buildTimeoutSeconds: number;
  /** Empty means the server's base image. */
  readonly baseImage: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The fields a caller sets. */
export type TargetFields = Omit<Target, "id" | "createdAt" | "updatedAt">;

/** Server settings targets depend on: the default arch, and what schedules are evaluated with. */
export interface TargetDefaults extends ScheduleSettings {
  readonly defaultArch: string;
}
