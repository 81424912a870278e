/** Every RPC and mutating route requires a credential; the right one works. */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetService } from "../gen/vieter/v1/target_service_pb.js";
import { VIETER_SERVICES } from "../server/rpc/index.js";
import { type TestServer, startTestServer } from "./setup/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

async function code(p: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("RPC authentication", () => {
  const client = () => createClient(TargetService, createConnectTransport({ baseUrl: srv.baseUrl, httpVersion: "1.1" }));

  it("refuses a call without a key", async () => {
    expect(await code(client().listTargets({}))).toBe(Code.Unauthenticated);
  });

  it("refuses a wrong key, also as a bearer token", async () => {
    expect(await code(client().listTargets({}, { headers: { "x-api-key": "wrong" } }))).toBe(Code.Unauthenticated);
    expect(await code(client().listTargets({}, { headers: { authorization: "Bearer wrong" } }))).toBe(Code.Unauthenticated);
  });

  it("accepts the key in X-Api-Key and as a bearer token", async () => {
    expect(await code(client().listTargets({}, { headers: { "x-api-key": srv.apiKey } }))).toBe("ok");
    expect(await code(client().listTargets({}, { headers: { authorization: `Bearer ${srv.apiKey}` } }))).toBe("ok");
  });

  it("refuses every RPC of every service without a key, before it runs", async () => {
    // Plain Connect unary POSTs with an empty JSON body: enough to reach auth.
    for (const service of VIETER_SERVICES) {
      for (const method of service.methods) {
        const streaming = method.methodKind !== "unary";
        const res = await fetch(`${srv.baseUrl}/${service.typeName}/${method.name}`, {
          method: "POST",
          headers: streaming ? { "content-type": "application/connect+json" } : { "content-type": "application/json" },
          body: streaming ? Buffer.from([0, 0, 0, 0, 2, 0x7b, 0x7d]) : "{}",
        });
        const body = await res.text();
        expect(`${method.name}: ${res.status} ${body}`).toMatch(/unauthenticated/);
      }
    }
  });

  it("changes nothing when a mutating call is refused", async () => {
    const before = await client().listTargets({}, { headers: { "x-api-key": srv.apiKey } });
    const refused = await code(client().createTarget({ target: { kind: 1, url: "https://example.com/a.git", repo: "r" } }));
    expect(refused).toBe(Code.Unauthenticated);
    const after = await client().listTargets({}, { headers: { "x-api-key": srv.apiKey } });
    expect(after.totalCount).toBe(before.totalCount);
  });
});
