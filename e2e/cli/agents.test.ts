/**
 * `vieter agents …` as a child process against a real server with a real
 * in-process agent (its fake build executor stands in for the container):
 * list in all three modes, drain and undo, and the server's errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FAKE_AGENT } from "./setup/fake-agent.js";
import { useFakeBuilds } from "./setup/fake-builds.js";
import { rawRows } from "./setup/run-cli.js";

const env = useFakeBuilds();
beforeAll(async () => {
  // The agent connects on its own; wait until the server lists it.
  for (;;) {
    const res = await env.cli.run(["agents", "list", "-r"]);
    if (res.stdout.includes(`${FAKE_AGENT.name}\tready`)) break;
  }
});

describe("vieter agents (fake build executor instead of a container)", () => {
  it("lists agents as a table, raw rows and JSON", async () => {
    const [table, raw, json] = await Promise.all([
      env.cli.run(["agents", "list"]),
      env.cli.run(["agents", "list", "-r"]),
      env.cli.run(["agents", "list", "--json"]),
    ]);
    const { agents } = JSON.parse(json.stdout);
    expect(agents).toEqual([
      {
        name: FAKE_AGENT.name,
        arches: ["x86_64", "aarch64"],
        capacity: 4,
        runningJobIds: [],
        connected: true,
        draining: false,
        version: "test",
        lastSeenTime: expect.any(String),
      },
    ]);
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+ARCHES\s+JOBS\s+RUNNING\s+VERSION\s+LAST SEEN$/);
    expect(table.stdout).toMatch(/^cli-agent\s+ready\s+x86_64,aarch64\s+0\/4\s+test\s+[\d-]+ [\d:]+$/m);
    const seen = rawRows(raw.stdout)[0]!;
    expect(seen.slice(0, 6)).toEqual([FAKE_AGENT.name, "ready", "x86_64,aarch64", "0/4", "", "test"]);
    // Heartbeats move the time between the two calls; its format is what is checked here.
    expect(seen[6]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it("drains an agent so it takes no new jobs, and --undo lets it build again", async () => {
    const drained = await env.cli.run(["agents", "drain", FAKE_AGENT.name]);
    expect(drained).toMatchObject({ code: 0, stdout: `Agent ${FAKE_AGENT.name} is draining: it takes no new jobs.\n` });
    expect(rawRows((await env.cli.run(["agents", "list", "-r"])).stdout)[0]![1]).toBe("draining");

    expect((await env.cli.run(["targets", "add", "https://example.com/ok.git", "cli-agents"])).code).toBe(0);
    const built = await env.cli.run(["targets", "build", "1", "-r"]);
    const job = Number(rawRows(built.stdout)[0]![0]);
    const watch = env.cli.start(["jobs", "watch", "--job", String(job), "-r"]);
    await watch.waitForStdout("\tqueued\t");

    const undone = await env.cli.run(["agents", "drain", FAKE_AGENT.name, "--undo", "--json"]);
    expect(JSON.parse(undone.stdout)).toMatchObject({ name: FAKE_AGENT.name, draining: false, connected: true });
    await watch.waitForStdout("\trunning\t");
    env.agent.release(job);
    expect((await watch.done).code).toBe(0);
    expect(await env.cli.run(["agents", "drain", FAKE_AGENT.name, "--undo"])).toMatchObject({
      stdout: `Agent ${FAKE_AGENT.name} takes jobs again.\n`,
    });
  });

  it("reports an unknown agent with the server's message and code", async () => {
    const [drain, missing] = await Promise.all([
      env.cli.run(["agents", "drain", "nobody"]),
      env.cli.run(["agents", "drain"]),
    ]);
    expect(drain).toMatchObject({ code: 1, stdout: "", stderr: "error: agent nobody is not known (not_found)\n" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'name'");
  });
});
