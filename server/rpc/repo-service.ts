/** RepoService: the repo API the original never had, over the repository domain. */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { type Package, PackageSchema, type RepoService } from "../../gen/vieter/v1/repo_service_pb.js";
import type { AppContext } from "../context.js";
import type { PackageDetails } from "../repo/queries.js";

const DEFAULT_LIMIT = 25;

/** The RepoService implementation. */
export function createRepoService(ctx: AppContext): ServiceImpl<typeof RepoService> {
  const repos = ctx.repository;
  return {
    async listRepos() {
      return { repos: await repos.listRepos() };
    },
    async listArchRepos(req) {
      const archRepos = await repos.listArchRepos(req.repo);
      return {
        archRepos: archRepos.map((a) => ({
          repo: a.repo,
          arch: a.arch,
          packageCount: a.packageCount,
          totalSize: BigInt(a.totalSize),
          updateTime: timestampFromDate(a.updatedAt),
        })),
      };
    },
    async listPackages(req) {
      const { packages, total } = await repos.listPackages({
        repo: req.repo,
        arch: req.arch,
        query: req.query,
        limit: req.limit || DEFAULT_LIMIT,
        offset: req.offset,
      });
      return { packages: packages.map(toMessage), totalCount: total };
    },
    async getPackage(req) {
      return { package: toMessage(await repos.getPackage(req.repo, req.arch, req.name)) };
    },
    async deleteRepo(req) {
      await repos.removeRepo(req.repo);
      return {};
    },
    async deleteArchRepo(req) {
      await repos.removeArchRepo(req.repo, req.arch);
      return {};
    },
    async deletePackage(req) {
      await repos.removePackage(req.repo, req.arch, req.name);
      return {};
    },
  };
}

function toMessage(p: PackageDetails): Package {
  const i = p.info;
  return create(PackageSchema, {
    repo: p.repo,
    repoArch: p.repoArch,
    name: i.pkgname,
    base: i.pkgbase || i.pkgname,
    version: i.pkgver,
    description: i.pkgdesc,
    arch: i.arch,
    filename: p.filename,
    compressedSize: BigInt(p.compressedSize),
    installedSize: BigInt(i.size ?? 0),
    sha256: p.sha256,
    url: i.url,
    licenses: i.license,
    groups: i.group,
    ...(i.builddate === undefined ? {} : { buildTime: timestampFromDate(new Date(i.builddate * 1000)) }),
    packager: i.packager,
    depends: i.depend,
    optdepends: i.optdepend,
    makedepends: i.makedepend,
    checkdepends: i.checkdepend,
    provides: i.provides,
    conflicts: i.conflict,
    replaces: i.replaces,
    backup: i.backup,
    files: p.files,
    signed: p.signed,
    publishTime: timestampFromDate(p.publishedAt),
  });
}
