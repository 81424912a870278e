/**
 * The repository module's face: what the pacman routes and RepoService call.
 * Names from clients are validated here, before anything touches the disk.
 */
import { validateArch, validatePackageName, validateRepoName } from "../../lib/names.js";
import type { ArchiveSnapshot, ServedPackage } from "./arch-repo-view.js";
import { type PublishResult, type StagedUpload, publishPackage } from "./publish.js";
import * as queries from "./queries.js";
import { type RecoveryReport, recoverRepository } from "./recover.js";
import { removeArchRepo, removePackage, removeRepo } from "./remove.js";
import { attachSignature } from "./signature.js";
import { type RepoDeps, RepoState } from "./state.js";

/** The repositories of one server. */
export class Repository {
  private readonly state: RepoState;

  constructor(deps: RepoDeps) {
    this.state = new RepoState(deps);
  }

  /** Where uploads are staged before publishing. */
  tempPath(suffix = ""): string {
    return this.state.deps.pool.tempPath(suffix);
  }

  /** Sweeps what a crash left behind; call once before serving. */
  async recover(): Promise<RecoveryReport> {
    return recoverRepository(this.state);
  }

  /** Releases what the repositories hold open (call after the last request). */
  close(): Promise<void> {
    return this.state.deps.pool.close();
  }

  /** Loads every arch-repo's view ahead of the first request (call after listening; see RepoState.warmViews). */
  warmViews(): Promise<number> {
    return this.state.warmViews();
  }

  publish(repo: string, upload: StagedUpload): Promise<PublishResult> {
    return publishPackage(this.state, repo, upload);
  }

  /** Attaches a detached signature (staged at `path`) to the package file `filename`; returns the arch-repos. */
  attachSignature(repo: string, filename: string, path: string): Promise<string[]> {
    return attachSignature(this.state, repo, filename, path);
  }

  /** The `.db` or `.files` archive of an arch-repo, or undefined. */
  async archive(repo: string, arch: string, kind: "db" | "files"): Promise<ArchiveSnapshot | undefined> {
    return (await this.state.view(validateRepoName(repo), validateArch(arch)))?.archive(kind);
  }

  /** The package whose file name is `filename` in an arch-repo, with its pool path. */
  async packageFile(
    repo: string,
    arch: string,
    filename: string,
  ): Promise<{ pkg: ServedPackage; path: string } | undefined> {
    const pkg = (await this.state.view(validateRepoName(repo), validateArch(arch)))?.byFile(filename);
    return pkg ? { pkg, path: this.state.deps.pool.pathOf(pkg.sha256) } : undefined;
  }

  /** The pool path of a package's detached signature, when one was published. */
  signaturePath(pkg: ServedPackage): string | undefined {
    return pkg.signed ? this.state.deps.pool.pathOf(pkg.sha256, "sig") : undefined;
  }

  /** The package whose `<name>-<version>` is `nameVersion`, as the build skip check asks. */
  async packageByNameVersion(repo: string, arch: string, nameVersion: string): Promise<ServedPackage | undefined> {
    const view = await this.state.view(validateRepoName(repo), validateArch(arch));
    if (!view) return undefined;
    // pkgver and pkgrel contain no "-", so the name is everything before the second-last "-".
    const parts = nameVersion.split("-");
    if (parts.length < 3) return undefined;
    const pkg = view.get(parts.slice(0, -2).join("-"));
    return pkg && `${pkg.name}-${pkg.version}` === nameVersion ? pkg : undefined;
  }

  removePackage(repo: string, arch: string, name: string): Promise<void> {
    return removePackage(this.state, validateRepoName(repo), validateArch(arch), validatePackageName(name, "name"));
  }

  removeArchRepo(repo: string, arch: string): Promise<void> {
    return removeArchRepo(this.state, validateRepoName(repo), validateArch(arch));
  }

  removeRepo(repo: string): Promise<void> {
    return removeRepo(this.state, validateRepoName(repo));
  }

  listRepos(): Promise<queries.RepoSummary[]> {
    return queries.listRepos(this.state);
  }

  listArchRepos(repo: string): Promise<queries.ArchRepoSummary[]> {
    return queries.listArchRepos(this.state, validateRepoName(repo));
  }

  listPackages(filter: Parameters<typeof queries.listPackages>[1]): ReturnType<typeof queries.listPackages> {
    validateRepoName(filter.repo);
    if (filter.arch) validateArch(filter.arch);
    return queries.listPackages(this.state, filter);
  }

  getPackage(repo: string, arch: string, name: string): Promise<queries.PackageDetails> {
    return queries.getPackage(
      this.state,
      validateRepoName(repo),
      validateArch(arch),
      validatePackageName(name, "name"),
    );
  }
}
