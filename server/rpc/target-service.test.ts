/** TargetService over an in-memory transport with a real SQLite file. */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TargetKind, TargetService } from "../../gen/vieter/v1/target_service_pb.js";
import { TEST_KEY, type TestContext, createTestContext } from "../testing/app-context.js";
import { routerClient } from "./testing.js";

let ctx: TestContext;
let client: ReturnType<typeof routerClient<typeof TargetService>>;
beforeEach(async () => {
  ctx = await createTestContext();
  client = routerClient(ctx, TargetService, TEST_KEY);
});
afterEach(async () => {
  await ctx.dispose();
});

async function failure(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("expected the call to fail");
}

const git = (over: object = {}) => ({
  target: { kind: TargetKind.GIT, url: "https://example.com/foo.git", repo: "main", ...over },
});

describe("CreateTarget", () => {
  it("stores a target with defaults and returns it", async () => {
    const { target } = await client.createTarget(git({ branch: "dev", path: "pkgs/foo" }));
    expect(target).toMatchObject({
      id: 1n,
      kind: TargetKind.GIT,
      branch: "dev",
      path: "pkgs/foo",
      arches: ["x86_64"],
      schedule: "",
    });
    expect(target?.createTime?.seconds).toBe(BigInt(ctx.clock.now().getTime() / 1000));
  });

  it.each([
    [{ kind: TargetKind.UNSPECIFIED }, "kind"],
    [{ url: "" }, "url: is required"],
    [{ url: "not a url" }, "url"],
    [{ kind: TargetKind.URL, url: "git://x/y" }, "url"],
    [{ repo: "api" }, 'repo: invalid repository name "api": "api" is reserved'],
    [{ repo: "../etc" }, "repo"],
    [{ repo: "a/b" }, "repo"],
    [{ arches: ["x86/64"] }, "arches"],
    [{ arches: ["any"] }, "arches"],
    [{ schedule: "0 0 30 2" }, "schedule"],
    [{ schedule: "x 8" }, "schedule"],
    [{ branch: "a..b" }, "branch"],
    [{ path: "../up" }, "path"],
    [{ buildTimeoutSeconds: 10_000_000 }, "build_timeout_seconds"],
  ])("refuses %o naming the field, and stores nothing", async (over, field) => {
    const err = await failure(client.createTarget(git(over)));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain(field);
    expect((await client.listTargets({})).totalCount).toBe(0);
  });
});

describe("GetTarget / DeleteTarget", () => {
  it("answers NotFound for unknown ids", async () => {
    expect((await failure(client.getTarget({ id: 42n }))).code).toBe(Code.NotFound);
    expect((await failure(client.deleteTarget({ id: 42n }))).code).toBe(Code.NotFound);
  });

  it("deletes", async () => {
    const { target } = await client.createTarget(git());
    await client.deleteTarget({ id: target!.id });
    expect((await failure(client.getTarget({ id: target!.id }))).code).toBe(Code.NotFound);
  });
});

describe("ListTargets", () => {
  beforeEach(async () => {
    await client.createTarget(git({ url: "https://example.com/Alpha.git", repo: "r1", arches: ["x86_64", "aarch64"] }));
    await client.createTarget(git({ url: "https://example.com/beta.git", repo: "r1", branch: "feature_x" }));
    await client.createTarget(git({ url: "https://example.com/gamma%25.git", repo: "r2", path: "sub" }));
  });

  it("filters by repo, arch and a case-sensitive substring; counts over all pages", async () => {
    const ids = async (req: object) => (await client.listTargets(req)).targets.map((t) => Number(t.id));
    expect(await ids({ repo: "r1" })).toEqual([1, 2]);
    expect(await ids({ arch: "aarch64" })).toEqual([1]);
    expect(await ids({ query: "Alpha" })).toEqual([1]);
    expect(await ids({ query: "alpha" })).toEqual([]);
    expect(await ids({ query: "_x" })).toEqual([2]);
    expect(await ids({ query: "%25" })).toEqual([3]);
    expect(await ids({ query: "%" })).toEqual([3]);
    expect(await ids({ limit: 1, offset: 1 })).toEqual([2]);
    expect((await client.listTargets({ limit: 1 })).totalCount).toBe(3);
  });
});

describe("UpdateTarget", () => {
  it("changes only the masked fields and validates the result", async () => {
    const { target } = await client.createTarget(git({ branch: "main" }));
    const updated = await client.updateTarget({
      target: { id: target!.id, url: "https://example.com/new.git", branch: "ignored", arches: ["aarch64"] },
      updateMask: { paths: ["url", "arches"] },
    });
    expect(updated.target).toMatchObject({ url: "https://example.com/new.git", branch: "main", arches: ["aarch64"] });
    const err = await failure(
      client.updateTarget({ target: { id: target!.id, schedule: "61 1" }, updateMask: { paths: ["schedule"] } }),
    );
    expect(err.code).toBe(Code.InvalidArgument);
    expect((await client.getTarget({ id: target!.id })).target?.schedule).toBe("");
    const unknown = await failure(
      client.updateTarget({ target: { id: target!.id }, updateMask: { paths: ["colour"] } }),
    );
    expect(unknown.rawMessage).toContain('unknown field "colour"');
  });
});

describe("PreviewSchedule", () => {
  it("returns the next occurrences in the configured zone", async () => {
    ctx.clock.set(new Date("2002-01-01T04:00:00Z"));
    const res = await client.previewSchedule({ expression: "0 3-7/4,7-19", count: 2 });
    expect(res.occurrences.map((t) => new Date(Number(t.seconds) * 1000).toISOString())).toEqual([
      "2002-01-01T07:00:00.000Z",
      "2002-01-01T08:00:00.000Z",
    ]);
    expect((await failure(client.previewSchedule({ expression: "0 0 30 2" }))).code).toBe(Code.InvalidArgument);
  });
});

describe("auth", () => {
  it("refuses calls without the key", async () => {
    const anonymous = routerClient(ctx, TargetService);
    expect((await failure(anonymous.listTargets({}))).code).toBe(Code.Unauthenticated);
  });
});
