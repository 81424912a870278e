/**
 * Build log content over plain HTTP, at Vieter's path, for curl and browsers:
 *   GET|HEAD /api/v1/logs/<id>/content   the log's text (admin, like the RPCs)
 * A compressed log is sent as stored with `content-encoding: gzip` when the
 * client accepts gzip, else decompressed on the fly; never loaded whole.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError } from "../../lib/errors.js";
import type { Logs } from "../logs/index.js";
import type { PlainRequest, PlainRoute } from "./route.js";
import { sendError } from "./respond.js";

/** The log routes over `logs`. */
export function logRoutes(logs: Logs): PlainRoute[] {
  return [
    {
      method: ["GET", "HEAD"],
      match: (s) => s.length === 5 && s[0] === "api" && s[1] === "v1" && s[2] === "logs" && s[4] === "content",
      access: "admin",
      async handle(req, res, { segments }) {
        const { file } = await logs.openContent(parseId(segments[3]!));
        try {
          const raw = file.gzip && acceptsGzip(req);
          const headers: Record<string, string | number> = {
            "content-type": "text/plain; charset=utf-8",
            "x-content-type-options": "nosniff",
            vary: "accept-encoding",
          };
          if (raw) headers["content-encoding"] = "gzip";
          // Decompressed on the fly, the length is not known up front: chunked.
          if (raw || !file.gzip) headers["content-length"] = file.storedSize;
          res.writeHead(200, headers);
          if (req.method === "HEAD") return void res.end();
          await pipeline(Readable.from(file.read(raw)), res as NodeJS.WritableStream);
        } finally {
          await file.close();
        }
      },
    },
  ];
}

/**
 * Any other `/api/…` path of three or more segments: Vieter's JSON API is
 * replaced by the Connect services. Listed after every API route and before
 * the repo routes, so such paths never read as `<repo>/<arch>/<file>`
 * ("api" is a reserved repo name).
 */
export const apiNotFoundRoute: PlainRoute = {
  method: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  match: (s) => s.length >= 3 && s[0] === "api",
  access: "public",
  handle: (_req, res) =>
    sendError(res, 404, "no such API route: Vieter's /api/v1 JSON endpoints are the Connect services vieter.v1.*"),
};

function parseId(raw: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new InvalidArgumentError("id", `${JSON.stringify(raw)} is not a log id`);
  return Number(raw);
}

/** Whether Accept-Encoding allows gzip (`gzip`, `x-gzip` or `*`, with a q above 0). */
export function acceptsGzip(req: PlainRequest): boolean {
  const header = req.headers["accept-encoding"];
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((item) => {
    const [name = "", ...params] = item.trim().toLowerCase().split(";");
    if (name !== "gzip" && name !== "x-gzip" && name !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
