/**
 * The pacman-facing routes, compatible with Vieter 0.6:
 *   GET|HEAD /<repo>/<arch>/<file>   database archives, package files, signatures, desc entries (public)
 *   POST     /<repo>/publish          publish a package (admin or agent); `?signature=<file>`: its detached .sig
 *   DELETE   /<repo>[/<arch>[/<pkgname>]]  remove (admin)
 */
import { rm, stat } from "node:fs/promises";
import { NotFoundError } from "../../lib/errors.js";
import type { SocketFileSender } from "../net/sendfile.js";
import type { Repository } from "../repo/repository.js";
import { FileCache } from "./file-cache.js";
import type { PlainRoute } from "./route.js";
import { sendBody } from "./send-body.js";
import { sendJson } from "./respond.js";
import { receiveBody } from "./upload.js";

/**
 * The routes over `repository`; uploads above `maxUploadBytes` get 413. Files
 * (packages, and archives once written to disk) go out with `sender` where
 * the connection allows it, else through Node's streams.
 */
export function repoRoutes(repository: Repository, maxUploadBytes: number, sender?: SocketFileSender): PlainRoute[] {
  const files = new FileCache(FILE_CACHE_BYTES, FILE_CACHE_MAX_FILE_BYTES);
  return [
    {
      method: ["GET", "HEAD"],
      match: (s) => s.length === 3,
      access: "public",
      async handle(req, res, { segments }) {
        const [repo, arch, file] = segments as [string, string, string];
        const dbKind = databaseKind(repo, file);
        if (dbKind) {
          const archive = await repository.archive(repo, arch, dbKind);
          if (!archive) throw new NotFoundError(`arch-repo ${repo}/${arch} does not exist`);
          const body = { ...archive, size: archive.data.length, contentType: "application/gzip" };
          return sendBody(req, res, body, sender);
        }
        if (file.includes(".pkg")) {
          const signature = file.endsWith(".sig");
          const found = await repository.packageFile(repo, arch, signature ? file.slice(0, -4) : file);
          const path = found && (signature ? repository.signaturePath(found.pkg) : found.path);
          if (!found || !path) throw new NotFoundError(`${file} is not in ${repo}/${arch}`);
          return sendBody(
            req,
            res,
            {
              path,
              size: signature ? await fileSize(path) : found.pkg.compressedSize,
              etag: `"${found.pkg.sha256}${signature ? "-sig" : ""}"`,
              lastModified: found.pkg.publishedAt,
              contentType: signature ? "application/pgp-signature" : "application/octet-stream",
              ...(signature ? {} : { cache: files }),
            },
            sender,
          );
        }
        const pkg = await repository.packageByNameVersion(repo, arch, file);
        if (!pkg) throw new NotFoundError(`${file} is not in ${repo}/${arch}`);
        const data = Buffer.from(pkg.desc, "utf8");
        return sendBody(req, res, {
          data,
          size: data.length,
          etag: `"${pkg.sha256}-desc"`,
          lastModified: pkg.publishedAt,
          contentType: "text/plain; charset=utf-8",
        });
      },
    },
    {
      method: ["POST"],
      match: (s) => s.length === 2 && s[1] === "publish",
      access: "publisher",
      async handle(req, res, { segments, query }) {
        const path = repository.tempPath(".upload");
        const signatureFor = query.get("signature");
        const body = await receiveBody(
          req,
          path,
          signatureFor === null ? maxUploadBytes : 64 * 1024,
          signatureFor === null ? KEEP_UPLOAD_BYTES : 0,
        );
        let consumed = false;
        try {
          if (signatureFor !== null) {
            // POST /<repo>/publish?signature=<package file name>: the body is that file's .sig.
            const archs = await repository.attachSignature(segments[0]!, signatureFor, path);
            consumed = true;
            return sendJson(res, 200, { message: "", data: { filename: signatureFor, archs } });
          }
          const result = await repository.publish(segments[0]!, { path, synced: true, bytes: body.bytes });
          consumed = true;
          sendJson(res, 200, { message: "", data: result });
        } finally {
          // A successful publish moved the file into the pool (or dropped it).
          if (!consumed) await rm(path, { force: true });
        }
      },
    },
    {
      method: ["DELETE"],
      match: (s) => s.length >= 1 && s.length <= 3,
      access: "admin",
      async handle(_req, res, { segments }) {
        const [repo, arch, name] = segments as [string, string | undefined, string | undefined];
        if (name !== undefined) await repository.removePackage(repo, arch!, name);
        else if (arch !== undefined) await repository.removeArchRepo(repo, arch);
        else await repository.removeRepo(repo);
        sendJson(res, 200, { message: "", data: "" });
      },
    },
  ];
}

/** Largest upload also kept in memory as received, so publishing parses it without reading the file back. */
const KEEP_UPLOAD_BYTES = 1024 * 1024;

/** Memory for recently downloaded package files (see file-cache.ts), and the largest file kept. */
const FILE_CACHE_BYTES = 256 * 1024 * 1024;
const FILE_CACHE_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Which archive a file name asks for; `.db` and `.db.tar.gz` are the same bytes. */
function databaseKind(repo: string, file: string): "db" | "files" | undefined {
  if (file === `${repo}.db` || file === `${repo}.db.tar.gz`) return "db";
  if (file === `${repo}.files` || file === `${repo}.files.tar.gz`) return "files";
  return undefined;
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
