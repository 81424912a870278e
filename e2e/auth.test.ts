/** Every RPC and mutating route requires a credential; the right one works. */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { DescMethodStreaming, DescMethodUnary } from "@bufbuild/protobuf";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
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
  const client = () =>
    createClient(TargetService, createConnectTransport({ baseUrl: srv.baseUrl, httpVersion: "1.1" }));

  it("refuses a call without a key", async () => {
    expect(await code(client().listTargets({}))).toBe(Code.Unauthenticated);
  });

  it("refuses a wrong key, also as a bearer token", async () => {
    expect(await code(client().listTargets({}, { headers: { "x-api-key": "wrong" } }))).toBe(Code.Unauthenticated);
    expect(await code(client().listTargets({}, { headers: { authorization: "Bearer wrong" } }))).toBe(
      Code.Unauthenticated,
    );
  });

  it("accepts the key in X-Api-Key and as a bearer token", async () => {
    expect(await code(client().listTargets({}, { headers: { "x-api-key": srv.apiKey } }))).toBe("ok");
    expect(await code(client().listTargets({}, { headers: { authorization: `Bearer ${srv.apiKey}` } }))).toBe("ok");
  });

  it("refuses every RPC of every service without a key, before it runs", async () => {
    // gRPC over h2c carries every method kind, bidi included.
    const transport = createGrpcTransport({ baseUrl: srv.baseUrl });
    const results: string[] = [];
    for (const service of VIETER_SERVICES) {
      for (const method of service.methods) {
        const call =
          method.methodKind === "unary"
            ? transport.unary(method as DescMethodUnary, undefined, undefined, undefined, {})
            : transport.stream(method as DescMethodStreaming, undefined, undefined, undefined, oneEmpty()).then(drain);
        results.push(`${method.name}: ${await code(call)}`);
      }
    }
    const expected = results.map((r) => `${r.split(":")[0]}: ${Code.Unauthenticated}`);
    expect(results).toEqual(expected);
    expect(results.length).toBeGreaterThan(20);
  });

  it("changes nothing when a mutating call is refused", async () => {
    const before = await client().listTargets({}, { headers: { "x-api-key": srv.apiKey } });
    const refused = await code(
      client().createTarget({ target: { kind: 1, url: "https://example.com/a.git", repo: "r" } }),
    );
    expect(refused).toBe(Code.Unauthenticated);
    const after = await client().listTargets({}, { headers: { "x-api-key": srv.apiKey } });
    expect(after.totalCount).toBe(before.totalCount);
  });
});

async function* oneEmpty(): AsyncIterable<Record<string, unknown>> {
  yield {};
}

async function drain(res: { message: AsyncIterable<unknown> }): Promise<void> {
  for await (const _ of res.message) {
    // read to the end, so the status arrives
  }
}
