/**
 * One port, every protocol: the same RPC over Connect (HTTP/1.1 and h2c),
 * gRPC (h2c), gRPC-Web, and the reference @grpc/grpc-js client; plain
 * GET /health over HTTP/1.1 and h2c.
 */
import http2 from "node:http2";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetKind, TargetService } from "../gen/vieter/v1/target_service_pb.js";
import { type TestServer, startTestServer } from "./setup/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

const transports = {
  "Connect over HTTP/1.1": () => createConnectTransport({ baseUrl: srv.baseUrl, httpVersion: "1.1" }),
  "Connect over h2c": () => createConnectTransport({ baseUrl: srv.baseUrl, httpVersion: "2" }),
  "gRPC over h2c": () => createGrpcTransport({ baseUrl: srv.baseUrl }),
  "gRPC-Web over HTTP/1.1": () => createGrpcWebTransport({ baseUrl: srv.baseUrl, httpVersion: "1.1" }),
  "gRPC-Web over h2c": () => createGrpcWebTransport({ baseUrl: srv.baseUrl, httpVersion: "2" }),
};

describe.each(Object.entries(transports))("%s", (name, makeTransport) => {
  it("creates and reads back a target", async () => {
    const client: Client<typeof TargetService> = createClient(TargetService, makeTransport());
    const headers = { "x-api-key": srv.apiKey };
    const created = await client.createTarget(
      {
        target: { kind: TargetKind.GIT, url: `https://example.com/${name.replace(/\W/g, "")}.git`, repo: "protocols" },
      },
      { headers },
    );
    expect(created.target?.id).toBeGreaterThan(0n);
    expect(created.target?.arches).toEqual(["x86_64"]);
    const got = await client.getTarget({ id: created.target!.id }, { headers });
    expect(got.target?.url).toBe(created.target?.url);
    const listed = await client.listTargets({ repo: "protocols" }, { headers });
    expect(listed.targets.map((t) => t.id)).toContain(created.target!.id);
  });
});

describe("plain HTTP", () => {
  it("answers GET /health over HTTP/1.1", async () => {
    const res = await fetch(`${srv.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: "Healthy.", data: "" });
  });

  it("answers GET /health over h2c", async () => {
    const session = http2.connect(srv.baseUrl);
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({ ":path": "/health", ":method": "GET" });
        let status = 0;
        let body = "";
        req.on("response", (h) => (status = Number(h[":status"])));
        req.setEncoding("utf8");
        req.on("data", (d: string) => (body += d));
        req.on("end", () => resolve({ status, body }));
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ message: "Healthy.", data: "" });
    } finally {
      session.close();
    }
  });

  it("answers 404 for unknown paths", async () => {
    const res = await fetch(`${srv.baseUrl}/no/such/route/here`);
    expect(res.status).toBe(404);
  });
});

describe("@grpc/grpc-js reference client", () => {
  it("lists targets over gRPC", async () => {
    const protoDir = fileURLToPath(new URL("../proto", import.meta.url));
    const def = protoLoader.loadSync("vieter/v1/target_service.proto", { includeDirs: [protoDir], longs: String });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      vieter: { v1: { TargetService: grpc.ServiceClientConstructor } };
    };
    const client = new pkg.vieter.v1.TargetService(`127.0.0.1:${srv.port}`, grpc.credentials.createInsecure());
    const meta = new grpc.Metadata();
    meta.set("x-api-key", srv.apiKey);
    try {
      const res = await new Promise<{ targets: unknown[]; totalCount: number }>((resolve, reject) => {
        client.listTargets({ limit: 100 }, meta, (err: grpc.ServiceError | null, value: never) =>
          err ? reject(err) : resolve(value),
        );
      });
      expect(res.totalCount).toBeGreaterThan(0);
      expect(res.targets.length).toBe(res.totalCount);
      const denied = await new Promise<grpc.ServiceError>((resolve) => {
        client.listTargets({}, new grpc.Metadata(), (err: grpc.ServiceError | null) => resolve(err!));
      });
      expect(denied.code).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      client.close();
    }
  });
});
