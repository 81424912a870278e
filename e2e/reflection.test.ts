/** `buf curl` finds and calls our services through gRPC server reflection alone. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VIETER_SERVICES } from "../server/rpc/index.js";
import { type TestServer, startTestServer } from "./setup/server.js";

const run = promisify(execFile);
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

async function bufCurl(...args: string[]): Promise<string> {
  const { stdout } = await run("npx", ["buf", "curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], {
    timeout: 30_000,
  });
  return stdout;
}

describe("gRPC reflection", () => {
  it.each(["grpc-v1", "grpc-v1alpha"])("lists every vieter.v1 service (%s)", async (proto) => {
    const out = await bufCurl("--reflect-protocol", proto, "--list-services", srv.baseUrl);
    const listed = out.trim().split("\n");
    for (const s of VIETER_SERVICES) expect(listed).toContain(s.typeName);
  });

  it("lists methods", async () => {
    const out = await bufCurl("--list-methods", srv.baseUrl);
    expect(out).toContain("vieter.v1.TargetService/CreateTarget");
    expect(out).toContain("vieter.v1.AgentService/Connect");
  });

  it("calls an RPC by name with the key", async () => {
    const out = await bufCurl(
      "-H",
      `X-Api-Key: ${srv.apiKey}`,
      "-d",
      JSON.stringify({ target: { kind: "TARGET_KIND_URL", url: "https://example.com/PKGBUILD", repo: "reflected" } }),
      `${srv.baseUrl}/vieter.v1.TargetService/CreateTarget`,
    );
    const created = JSON.parse(out) as { target: { id: string; repo: string; kind: string } };
    expect(created.target.repo).toBe("reflected");
    expect(created.target.kind).toBe("TARGET_KIND_URL");
    const listed = JSON.parse(
      await bufCurl(
        "-H",
        `X-Api-Key: ${srv.apiKey}`,
        "-d",
        '{"repo":"reflected"}',
        `${srv.baseUrl}/vieter.v1.TargetService/ListTargets`,
      ),
    ) as { targets: { id: string }[]; totalCount: number };
    expect(listed.totalCount).toBe(1);
    expect(listed.targets[0]?.id).toBe(created.target.id);
  });

  it("refuses the call without a key", async () => {
    await expect(bufCurl("-d", "{}", `${srv.baseUrl}/vieter.v1.TargetService/ListTargets`)).rejects.toThrow(
      /unauthenticated/,
    );
  });
});
