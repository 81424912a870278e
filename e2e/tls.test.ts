/** With tls_cert_file/tls_key_file the same port serves HTTP/2 and HTTP/1.1 over TLS, chosen by ALPN. */
import { execFileSync } from "node:child_process";
import https from "node:https";
import http2 from "node:http2";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetService } from "../gen/vieter/v1/target_service_pb.js";
import { type TestServer, startTestServer } from "./setup/server.js";

let srv: TestServer;
let ca: Buffer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "vieter-tls-"));
  const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  ca = readFileSync(cert);
  srv = await startTestServer({ tls_cert_file: cert, tls_key_file: key });
});
afterAll(async () => {
  await srv.stop();
});

describe("TLS", () => {
  const base = () => `https://127.0.0.1:${srv.port}`;

  it("serves gRPC over HTTP/2 with ALPN", async () => {
    const transport = createGrpcTransport({ baseUrl: base(), nodeOptions: { ca } });
    const res = await createClient(TargetService, transport).listTargets({}, { headers: { "x-api-key": srv.apiKey } });
    expect(res.totalCount).toBe(0);
  });

  it("serves HTTP/1.1 clients on the same port", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${base()}/health`, { ca, ALPNProtocols: ["http/1.1"] } as https.RequestOptions, (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve(`${res.httpVersion} ${res.statusCode} ${text}`));
        })
        .on("error", reject);
    });
    expect(body).toBe('1.1 200 {"message":"Healthy.","data":""}');
  });

  it("negotiates h2 for HTTP/2 clients", async () => {
    const session = http2.connect(base(), { ca });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = session.request({ ":path": "/health" });
        req.on("response", (h) => resolve(Number(h[":status"])));
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(session.alpnProtocol).toBe("h2");
    } finally {
      session.close();
    }
  });
});
