/**
 * Streams a file to the server's plain publish route (`POST /<repo>/publish`,
 * optionally `?signature=<file>`), never holding it in memory, reporting the
 * bytes handed to the socket as it goes.
 */
import { createReadStream } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { HttpStatusError } from "../../errors.js";

/** One upload. */
export interface Upload {
  readonly url: URL;
  readonly apiKey: string;
  readonly path: string;
  readonly size: number;
  readonly onProgress: (sent: number) => void;
}

/** Sends the file; resolves with the `data` of Vieter's JSON envelope, rejects with HttpStatusError. */
export function uploadFile(upload: Upload): Promise<unknown> {
  const request = upload.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(upload.url, {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(upload.size),
        "x-api-key": upload.apiKey,
      },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        let body: { message?: unknown; data?: unknown } = {};
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // Not Vieter's envelope (a proxy's error page, say): report the status with the text.
        }
        if (status >= 200 && status < 300) resolve(body.data);
        else reject(new HttpStatusError(status, typeof body.message === "string" ? body.message : text.slice(0, 200)));
      });
    });
    // A server that answers early (wrong key, too large) may close before the
    // body is through; its answer is what matters, not the broken pipe.
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const file = createReadStream(upload.path);
    let sent = 0;
    file.on("data", (chunk) => {
      sent += chunk.length;
      upload.onProgress(sent);
    });
    file.on("error", (err) => {
      req.destroy();
      reject(err);
    });
    file.pipe(req);
  });
}
