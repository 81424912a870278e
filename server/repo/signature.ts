/**
 * Attaching a detached signature to a published package: the `.sig` is
 * stored beside the package in the pool and every arch-repo entry of that
 * file gains `%PGPSIG%` where repo-add puts it (after `%SHA256SUM%`).
 */
import { readFile } from "node:fs/promises";
import { InvalidArgumentError, NotFoundError } from "../../lib/errors.js";
import { validateRepoName } from "../../lib/names.js";
import { validatePackageFilename } from "../pkg/names.js";
import { encodeSignature } from "../pkg/signature.js";
import { ArchRepoEntity, RepoPackageEntity } from "../store/entities/repo.js";
import { nextLastModified } from "./arch-repo-view.js";
import { type PackageMembers, packageMembers } from "./db-members.js";
import { type RepoState, archKey, repoKey } from "./state.js";

/** Adds the signature at `sigPath` (a staged upload) to package file `filename` in `repo`. */
export async function attachSignature(
  state: RepoState,
  repo: string,
  filename: string,
  sigPath: string,
): Promise<string[]> {
  validateRepoName(repo);
  validatePackageFilename(filename, "signature");
  const bytes = await readFile(sigPath);
  // OpenPGP packets start with a byte whose high bit is set.
  if (bytes.length === 0 || (bytes[0]! & 0x80) === 0) {
    throw new InvalidArgumentError("signature", "the body is not a binary OpenPGP signature");
  }
  const pgpsig = encodeSignature(bytes);
  return state.locks.withKeys([repoKey(repo)], async () => {
    const rows = await state.em().find(RepoPackageEntity, { filename, archRepo: { repo } }, { populate: ["archRepo"] });
    if (rows.length === 0) throw new NotFoundError(`${filename} is not in repo ${repo}`);
    const arches = rows.map((r) => r.archRepo.arch);
    return state.locks.withKeys(
      arches.map((a) => archKey(repo, a)),
      async () => {
        const sha = rows[0]!.sha256;
        await state.fileLocks.withKeys([sha], () => state.deps.pool.adopt(sigPath, sha, "sig"));
        const now = state.deps.clock.now();
        const em = state.em();
        const updated: {
          arch: string;
          desc: string;
          members: PackageMembers;
          lastModified: number;
          serial: number;
        }[] = [];
        await em.transactional(async (tx) => {
          for (const row of rows) {
            const current = await tx.findOneOrFail(RepoPackageEntity, { id: row.id });
            const archRepo = await tx.findOneOrFail(ArchRepoEntity, { id: row.archRepo.id });
            current.descEntry = withPgpsig(current.descEntry, pgpsig);
            current.signature = pgpsig;
            const entryDir = `${current.name}-${current.version}`;
            const members = packageMembers(entryDir, current.descEntry, current.filesEntry, now);
            current.dbMember = members.db;
            current.filesMember = members.files;
            archRepo.lastModified = nextLastModified(archRepo.lastModified, now);
            archRepo.serial += 1;
            updated.push({
              arch: archRepo.arch,
              desc: current.descEntry,
              members,
              lastModified: archRepo.lastModified,
              serial: archRepo.serial,
            });
          }
        });
        for (const u of updated) {
          const view = await state.view(repo, u.arch);
          const pkg = [...(view?.packages() ?? [])].find((p) => p.filename === filename);
          if (!view || !pkg) continue;
          view.put({ ...pkg, desc: u.desc, signed: true, members: u.members }, u.lastModified, u.serial);
        }
        return arches;
      },
    );
  });
}

/** Puts (or replaces) the `%PGPSIG%` field of a desc entry right after `%SHA256SUM%`. */
export function withPgpsig(desc: string, pgpsig: string): string {
  const fields = [...desc.matchAll(/%([A-Z0-9]+)%\n([\s\S]*?)\n\n/g)].map((m) => ({ name: m[1]!, body: m[2]! }));
  const kept = fields.filter((f) => f.name !== "PGPSIG");
  const at = kept.findIndex((f) => f.name === "SHA256SUM");
  kept.splice(at + 1, 0, { name: "PGPSIG", body: pgpsig });
  return kept.map((f) => `%${f.name}%\n${f.body}\n\n`).join("");
}
