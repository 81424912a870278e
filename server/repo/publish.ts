/**
 * Publishing a package file into a repo: read, validate and fsync it (in the
 * request, in parallel with others), pick the arch-repos (`any` goes to the
 * default arch and every existing arch-repo), then hand it to the arch-repos'
 * group commit (commit-batch.ts), which refuses a downgrade, moves the file
 * into the pool, commits the rows and only then updates what the routes
 * serve. Creating an arch-repo takes the slower path of commit-package.ts.
 */
import { readFile } from "node:fs/promises";
import { FailedPreconditionError } from "../../lib/errors.js";
import { validateRepoName } from "../../lib/names.js";
import { readPackageArchive } from "../pkg/archive.js";
import { readPackageBytes } from "../pkg/archive-bytes.js";
import { COMPRESSION_EXTENSIONS } from "../pkg/compression.js";
import { renderDesc, renderFiles } from "../pkg/desc.js";
import { type PackageInfo, parsePkginfo } from "../pkg/pkginfo.js";
import { encodeSignature } from "../pkg/signature.js";
import { vercmp } from "../pkg/vercmp.js";
import { ArchRepoEntity } from "../store/entities/repo.js";
import { ARCH_REPO_MISSING, type BatchResult, batchKey } from "./commit-batch.js";
import { type PreparedPackage, commitPackage } from "./commit-package.js";
import { packageMembers } from "./db-members.js";
import { releaseFiles } from "./release-files.js";
import { type RepoState, archKey, repoKey } from "./state.js";

/** What a publish reports, as Vieter's publish response did. */
export interface PublishResult {
  readonly name: string;
  readonly version: string;
  /** The arch-repos the package was added to. */
  readonly archs: string[];
}

/** A finished upload in the pool's tmp folder (and its signature, if any). */
export interface StagedUpload {
  readonly path: string;
  readonly signaturePath?: string;
  /** Whether the files are already fsynced (the upload route does it as it writes). */
  readonly synced?: boolean;
  /** The package file's bytes, when the upload was small enough to keep (parsed without reading the file). */
  readonly bytes?: Buffer | undefined;
}

/** Publishes a staged upload into `repo`; the temp files are consumed. */
export async function publishPackage(state: RepoState, repo: string, upload: StagedUpload): Promise<PublishResult> {
  validateRepoName(repo);
  const pkg = await preparePackage(state, upload);
  if (!upload.synced) {
    await state.deps.pool.syncFile(upload.path);
    if (upload.signaturePath) await state.deps.pool.syncFile(upload.signaturePath);
  }
  const { info } = pkg;
  const { targets, released } =
    info.arch === "any"
      ? // The repo lock first: the set of arch-repos must not change under an `any` package.
        await state.locks.withKeys([repoKey(repo)], async () => {
          const targets = await anyTargets(state, repo);
          const batched = await inBatch(state, repo, targets, pkg);
          if (batched !== ARCH_REPO_MISSING) return { targets, released: batched };
          const keys = targets.map((a) => archKey(repo, a));
          return {
            targets,
            released: await state.locks.withKeys(keys, () => checkAndCommit(state, repo, targets, pkg)),
          };
        })
      : { targets: [info.arch], released: await publishToOne(state, repo, info.arch, pkg) };
  await releaseFiles(state, released);
  return { name: info.pkgname, version: info.pkgver, archs: targets };
}

/** An arch-specific package: the group commit, or the repo lock too when the arch-repo is new. */
async function publishToOne(state: RepoState, repo: string, arch: string, pkg: PreparedPackage): Promise<string[]> {
  const batched = await inBatch(state, repo, [arch], pkg);
  if (batched !== ARCH_REPO_MISSING) return batched;
  return state.locks.withKeys([repoKey(repo), archKey(repo, arch)], () => checkAndCommit(state, repo, [arch], pkg));
}

/** Commits through the arch-repos' group commit when they all exist. */
async function inBatch(state: RepoState, repo: string, arches: string[], pkg: PreparedPackage): Promise<BatchResult> {
  for (const arch of arches) if (!(await state.view(repo, arch))) return ARCH_REPO_MISSING;
  return state.commits.submit(batchKey(repo, arches), { repo, arches, pkg });
}

/** Refuses a downgrade, then commits; the caller holds the arch-repo locks of `arches`. */
async function checkAndCommit(
  state: RepoState,
  repo: string,
  arches: readonly string[],
  pkg: PreparedPackage,
): Promise<string[]> {
  const { info } = pkg;
  for (const arch of arches) {
    const current = (await state.view(repo, arch))?.get(info.pkgname);
    if (current && vercmp(info.pkgver, current.version) < 0 && !state.deps.settings.allowsDowngrade(repo)) {
      throw new FailedPreconditionError(
        `${repo}/${arch} has ${info.pkgname} ${current.version}, newer than the published ${info.pkgver}; ` +
          "a stale build must not roll the repo back (allow_downgrade_repos permits it per repo)",
      );
    }
  }
  return commitPackage(state, repo, arches, pkg);
}

async function preparePackage(state: RepoState, upload: StagedUpload): Promise<PreparedPackage> {
  const archive = upload.bytes ? await readPackageBytes(upload.bytes) : await readPackageArchive(upload.path);
  const info: PackageInfo = parsePkginfo(archive.pkginfo);
  const filename = `${info.pkgname}-${info.pkgver}-${info.arch}.pkg.tar${COMPRESSION_EXTENSIONS[archive.compression]}`;
  const signature = upload.signaturePath ? encodeSignature(await readFile(upload.signaturePath)) : undefined;
  const facts = {
    filename,
    csize: archive.csize,
    sha256: archive.sha256,
    md5: archive.md5,
    ...(signature ? { pgpsig: signature } : {}),
  };
  const desc = renderDesc(info, facts);
  const files = renderFiles(archive.files);
  const publishedAt = state.deps.clock.now();
  const served = {
    name: info.pkgname,
    version: info.pkgver,
    arch: info.arch,
    filename,
    sha256: archive.sha256,
    compressedSize: archive.csize,
    signed: signature !== undefined,
    desc,
    members: packageMembers(`${info.pkgname}-${info.pkgver}`, desc, files, publishedAt),
    publishedAt,
  };
  return { info, archive, filename, signature, upload, desc, files, served };
}

/** Where an `any` package goes: the default arch and every arch-repo the repo has. */
async function anyTargets(state: RepoState, repo: string): Promise<string[]> {
  const rows = await state.em().find(ArchRepoEntity, { repo }, { fields: ["arch"], orderBy: { arch: "asc" } });
  const arches = new Set([state.deps.settings.defaultArch, ...rows.map((r) => r.arch)]);
  return [...arches];
}
