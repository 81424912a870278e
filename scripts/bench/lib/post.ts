/** A light HTTP publish client (node:http with keep-alive; fetch costs the client more CPU). */
import { Agent, request } from "node:http";

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body` to `url` with `apiKey`; resolves with status and response text. */
export function post(url: string, body: Buffer, apiKey: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: keepAlive, headers: { "x-api-key": apiKey, "content-length": body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Lets the process exit: closes idle keep-alive sockets. */
export function closeClients(): void {
  keepAlive.destroy();
}
