/**
 * The fallback load generator when wrk is missing: `connections` keep-alive
 * connections, each GETting `url` back to back for `seconds`, bodies read
 * and dropped. Prints `{"requests","seconds","errors"}`.
 *
 *   node --import tsx scripts/bench/lib/http-load.ts <url> <connections> <seconds>
 */
import { Agent, get } from "node:http";

const [url, connectionsArg, secondsArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const deadline = Date.now() + Number(secondsArg) * 1000;
let requests = 0;
let errors = 0;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const req = get(url!, { agent }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => {
        if ((res.statusCode ?? 0) >= 400) errors++;
        requests++;
        resolve();
      });
    });
    req.on("error", () => {
      errors++;
      resolve();
    });
  });
}

const start = Date.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < deadline) await once();
  }),
);
agent.destroy();
process.stdout.write(JSON.stringify({ requests, seconds: (Date.now() - start) / 1000, errors }));
