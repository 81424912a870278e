/**
 * Small HTTP servers for the container tests, on 127.0.0.1 (the containers
 * use host networking, so they reach them there): a static file server that
 * also plays a fake Vieter repository (HEAD of `/<repo>/<arch>/<name>-<version>`),
 * and a git smart-HTTP server (`git http-backend`), which shallow clones need.
 */
import { spawn } from "node:child_process";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` (or the host given to the start function). */
  readonly url: string;
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

async function listen(handler: Handler, host = "127.0.0.1", urlHost = host): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(`${req.method} ${path}`);
    handler(req, res, path);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves `files` (path → body) to GET and HEAD; HEAD of a path in `present`
 * answers 200 as Vieter's desc route does for a package version it has,
 * anything else 404 (or `status` for every HEAD when given).
 */
export function startFileServer(
  options: {
    files?: Record<string, string>;
    present?: string[];
    headStatus?: number;
    host?: string;
    urlHost?: string;
  } = {},
): Promise<TestServer> {
  const present = new Set(options.present ?? []);
  return listen(
    (req, res, path) => {
      const body = options.files?.[path];
      if (req.method === "HEAD" && options.headStatus) res.writeHead(options.headStatus).end();
      else if (body !== undefined)
        res.writeHead(200, { "content-type": "text/plain" }).end(req.method === "HEAD" ? undefined : body);
      else if (req.method === "HEAD" && present.has(path)) res.writeHead(200).end();
      else res.writeHead(404).end();
    },
    options.host,
    options.urlHost,
  );
}

/** Serves the git repositories under `root` over smart HTTP: `<url>/<dir>` clones `root/<dir>`. */
export function startGitServer(root: string): Promise<TestServer> {
  return listen((req, res, path) => {
    const cgi = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: path,
        QUERY_STRING: new URL(req.url ?? "/", "http://x").search.slice(1),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: "127.0.0.1",
      },
    });
    req.pipe(cgi.stdin);
    // A CGI answer: header lines, a blank line, the body.
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      cgi.stdout.off("data", onData);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
        const [name, ...value] = line.split(": ");
        if (name!.toLowerCase() === "status") status = Number.parseInt(value.join(": "), 10);
        else headers[name!] = value.join(": ");
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      cgi.stdout.pipe(res);
    };
    cgi.stdout.on("data", onData);
    cgi.on("error", () => res.destroy());
  });
}
