/**
 * The in-memory picture of one arch-repo that the pacman routes serve from:
 * each package's archive members and the assembled archives. It mirrors the
 * database and is only changed after a database commit, under the
 * arch-repo's lock.
 */
import { type PackageMembers, assembleArchive } from "./db-members.js";

/** What the routes need of one package. */
export interface ServedPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
  readonly filename: string;
  readonly sha256: string;
  readonly compressedSize: number;
  readonly signed: boolean;
  readonly desc: string;
  readonly members: PackageMembers;
  readonly publishedAt: Date;
}

/** An assembled database archive with its validators. */
export interface ArchiveSnapshot {
  readonly data: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
}

/** One arch-repo's packages, indexed for the routes. */
export class ArchRepoView {
  private readonly byName = new Map<string, ServedPackage>();
  private readonly byFilename = new Map<string, ServedPackage>();
  private archives: { db?: ArchiveSnapshot; files?: ArchiveSnapshot } = {};

  constructor(
    readonly id: number,
    readonly repo: string,
    readonly arch: string,
    private lastModifiedSec: number,
    private serial: number,
  ) {}

  /** The package called `name`, if present. */
  get(name: string): ServedPackage | undefined {
    return this.byName.get(name);
  }

  /** The package whose file is called `filename` (with or without `.sig`). */
  byFile(filename: string): ServedPackage | undefined {
    return this.byFilename.get(filename);
  }

  /** Every package. */
  packages(): IterableIterator<ServedPackage> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }

  get lastModified(): number {
    return this.lastModifiedSec;
  }

  get version(): number {
    return this.serial;
  }

  /** Adds or replaces a package (after its commit) and records the new version. */
  put(pkg: ServedPackage, lastModifiedSec: number, serial: number): void {
    // A replaced package keeps its place (Map.set on a present key does), as its row keeps its id:
    // archives list packages in row order, so they are the same bytes after a restart.
    const old = this.byName.get(pkg.name);
    if (old) this.byFilename.delete(old.filename);
    this.byName.set(pkg.name, pkg);
    this.byFilename.set(pkg.filename, pkg);
    this.touch(lastModifiedSec, serial);
  }

  /** Removes a package (after its commit) and records the new version. */
  remove(name: string, lastModifiedSec: number, serial: number): void {
    this.removeQuietly(name);
    this.touch(lastModifiedSec, serial);
  }

  /** Loads a package without touching the version (initial load). */
  load(pkg: ServedPackage): void {
    this.byName.set(pkg.name, pkg);
    this.byFilename.set(pkg.filename, pkg);
  }

  /** The `.db` or `.files` archive, assembled once per change. */
  archive(kind: "db" | "files"): ArchiveSnapshot {
    const cached = this.archives[kind];
    if (cached) return cached;
    const members = [...this.byName.values()].map((p) => p.members[kind]);
    const snapshot = {
      data: assembleArchive(members),
      etag: `"${this.id}-${this.serial}-${kind}"`,
      lastModified: new Date(this.lastModifiedSec * 1000),
    };
    this.archives[kind] = snapshot;
    return snapshot;
  }

  private removeQuietly(name: string): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.byName.delete(name);
    this.byFilename.delete(old.filename);
  }

  private touch(lastModifiedSec: number, serial: number): void {
    this.lastModifiedSec = lastModifiedSec;
    this.serial = serial;
    this.archives = {};
  }
}

/**
 * The next Last-Modified second: now, but always after the previous one, so
 * two changes within one second still look different to If-Modified-Since.
 */
export function nextLastModified(previousSec: number, now: Date): number {
  return Math.max(Math.floor(now.getTime() / 1000), previousSec + 1);
}
