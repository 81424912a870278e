/**
 * `vieter jobs …` as a child process against a real server, with a real
 * in-process agent whose fake build executor stands in for the container:
 * every verb in table, raw and JSON form, `watch` ending when its job ends,
 * and the server's errors with their exit statuses.
 */
import { describe, expect, it } from "vitest";
import { FAKE_AGENT } from "./setup/fake-agent.js";
import { queueBuild, useFakeBuilds } from "./setup/fake-builds.js";
import { rawRows, testLocalTime } from "./setup/run-cli.js";

const env = useFakeBuilds("cli-jobs", [
  ["ok"],
  ["fail"],
  ["other"],
  // No agent builds riscv64, so this target's jobs stay queued.
  ["ok", "--arch", "riscv64"],
]);
// Scheduled runs are queued ahead as jobs too, so ids of manual jobs are taken from the CLI's output.
let okJob = 0;
let failJob = 0;

describe("vieter jobs (fake build executor instead of a container)", () => {
  it("watches a job from its current state until it succeeds, then exits 0", async () => {
    const job = (okJob = await queueBuild(env.cli, 1));
    const watch = env.cli.start(["jobs", "watch", "--job", String(job)]);
    await watch.waitForStdout(" running on cli-agent");
    env.agent.release(job);
    const res = await watch.done;
    expect(res).toMatchObject({ code: 0, stderr: "" });
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d {2}job ${job} \\(target 1, x86_64\\) succeeded on cli-agent$`,
      ),
    );
    const ended = JSON.parse((await env.cli.run(["jobs", "info", String(job), "--json"])).stdout);
    expect(lines.at(-1)!.slice(0, 19)).toBe(testLocalTime(new Date(ended.endTime)));
  });

  it("watches a failing job as JSON lines and exits 1 when it fails", async () => {
    const job = (failJob = await queueBuild(env.cli, 2));
    const watch = env.cli.start(["--json", "jobs", "watch", "--job", String(job)]);
    await watch.waitForStdout('"state":"running"');
    env.agent.release(job);
    const res = await watch.done;
    expect(res.code).toBe(1);
    const events = res.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({
      id: job,
      targetId: 2,
      state: "failed",
      agent: FAKE_AGENT.name,
      cause: { step: "build", exitCode: 1, message: "makepkg exited with 1", lastLines: ["error: boom"] },
    });
  });

  it("lists jobs newest first in all three modes, with filters and paging", async () => {
    const [table, raw, json, failed, page, none] = await Promise.all([
      env.cli.run(["jobs", "list", "--target", "1"]),
      env.cli.run(["jobs", "list", "--state", "succeeded,failed", "-r"]),
      env.cli.run(["jobs", "list", "--state", "failed", "--agent", FAKE_AGENT.name, "--json"]),
      env.cli.run(["jobs", "list", "--target", "2", "--state", "failed", "--arch", "x86_64", "-r"]),
      env.cli.run(["jobs", "list", "--state", "succeeded", "--state", "failed", "-l", "1"]),
      env.cli.run(["jobs", "list", "--arch", "ppc64"]),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^ID\s+TARGET\s+ARCH\s+STATE\s+REASON\s+FORCE\s+CREATED\s+AGENT\s+ENDED$/,
    );
    expect(table.stdout).toMatch(
      /^\s*\d+\s+1\s+x86_64\s+succeeded\s+manual\s+no\s+[\d-]+ [\d:]+\s+cli-agent\s+[\d-]+ [\d:]+$/m,
    );
    expect(rawRows(raw.stdout).map((r) => [r[0], r[1], r[3], r[4], r[7]])).toEqual([
      [String(failJob), "2", "failed", "manual", "cli-agent"],
      [String(okJob), "1", "succeeded", "manual", "cli-agent"],
    ]);
    const doc = JSON.parse(json.stdout);
    expect(doc.totalCount).toBe(1);
    expect(doc.jobs[0]).toMatchObject({ id: failJob, state: "failed", reason: "manual", attempt: 1, retryOfJobId: 0 });
    expect(rawRows(failed.stdout).map((r) => r[0])).toEqual([String(failJob)]);
    expect(page.stdout.trim().split("\n")).toHaveLength(2);
    expect(page.stderr).toBe("Showing 1-1 of 2 jobs; use --offset 1 for more.\n");
    expect(none.stdout).toBe("No jobs.\n");
  });

  it("shows one job with its failure in all three modes", async () => {
    const [table, raw, json] = await Promise.all([
      env.cli.run(["jobs", "info", String(failJob)]),
      env.cli.run(["jobs", "info", String(failJob), "-r"]),
      env.cli.run(["jobs", "info", String(failJob), "--json"]),
    ]);
    const view = JSON.parse(json.stdout);
    expect(table.stdout).toContain("state:        failed\n");
    expect(table.stdout).toContain("retry of:     (first attempt)\n");
    expect(table.stdout).toContain("failed step:  build\n");
    expect(table.stdout).toContain("last lines:   error: boom\n");
    expect(table.stdout).toContain(`ended:        ${testLocalTime(new Date(view.endTime))}\n`);
    expect(rawRows(raw.stdout)).toEqual(
      expect.arrayContaining([
        ["state", "failed"],
        ["agent", "cli-agent"],
        ["exit code", "1"],
        ["message", "makepkg exited with 1"],
      ]),
    );
    expect(Object.keys(view)).toEqual([
      "id",
      "targetId",
      "arch",
      "force",
      "reason",
      "state",
      "agent",
      "attempt",
      "retryOfJobId",
      "cause",
      "createTime",
      "dueTime",
      "dispatchTime",
      "startTime",
      "endTime",
    ]);
  });

  it("retries an ended job as a new linked job", async () => {
    const raw = await env.cli.run(["jobs", "retry", String(failJob), "-r"]);
    expect(raw.code).toBe(0);
    const retry = Number(raw.stdout.trim());
    env.agent.release(retry);
    const json = JSON.parse((await env.cli.run(["jobs", "info", String(retry), "--json"])).stdout);
    expect(json).toMatchObject({ id: retry, targetId: 2, reason: "retry", attempt: 2, retryOfJobId: failJob });
    const table = await env.cli.run(["jobs", "retry", String(failJob)]);
    expect(table.stdout).toMatch(new RegExp(`^Job \\d+ queued \\(attempt 2, retrying job ${failJob}\\)\\.\\n$`));
    env.agent.release(Number(/Job (\d+)/.exec(table.stdout)![1]));
  });

  it("cancels a queued job, and refuses to cancel it again with the server's message", async () => {
    const job = await queueBuild(env.cli, 4);
    const table = await env.cli.run(["jobs", "cancel", String(job)]);
    expect(table).toMatchObject({ code: 0, stdout: `Job ${job} cancelled.\n` });
    const again = await env.cli.run(["jobs", "cancel", String(job), "--json"]);
    expect(again).toMatchObject({
      code: 1,
      stdout: "",
      stderr: `error: job ${job} has already ended (cancelled) (failed_precondition)\n`,
    });
    const queued = await queueBuild(env.cli, 4);
    expect(JSON.parse((await env.cli.run(["jobs", "cancel", String(queued), "--json"])).stdout)).toMatchObject({
      id: queued,
      state: "cancelled",
    });
    const running = await queueBuild(env.cli, 1);
    const watch = env.cli.start(["jobs", "watch", "--job", String(running), "-r"]);
    await watch.waitForStdout("\trunning\t");
    const asked = await env.cli.run(["jobs", "cancel", String(running), "-r"]);
    expect(asked).toMatchObject({ code: 0, stdout: "running\n" });
    const res = await watch.done;
    expect(res.code).toBe(1);
    expect(rawRows(res.stdout).at(-1)!.slice(0, 4)).toEqual([String(running), "1", "x86_64", "cancelled"]);
  });

  it("reports unknown jobs with the server's message and code, and bad flags as usage errors", async () => {
    const [info, watch, badState, both] = await Promise.all([
      env.cli.run(["jobs", "info", "999"]),
      env.cli.run(["jobs", "watch", "--job", "999"]),
      env.cli.run(["jobs", "list", "--state", "done"]),
      env.cli.run(["jobs", "watch", "--job", "1", "--target", "1"]),
    ]);
    expect(info).toMatchObject({ code: 1, stdout: "", stderr: "error: job 999 does not exist (not_found)\n" });
    expect(watch).toMatchObject({ code: 1, stderr: "error: job 999 does not exist (not_found)\n" });
    expect(badState.code).toBe(2);
    expect(badState.stderr).toContain("must be one of queued, dispatched, running, succeeded");
    expect(both).toMatchObject({ code: 2, stderr: "error: choose one of --job and --target\n" });
  });

  it("watches every job of a target until interrupted (last: it adds jobs)", async () => {
    const watch = env.cli.start(["jobs", "watch", "--target", "1"]);
    // Nothing tells when the stream is open: build until a whole job shows up in it.
    let job = 0;
    do {
      job = await queueBuild(env.cli, 1);
      env.agent.release(job);
      await env.cli.run(["jobs", "watch", "--job", String(job)]);
    } while (!watch.stdout().includes(`job ${job} (target 1, x86_64) succeeded`));
    const other = await queueBuild(env.cli, 3);
    const next = await queueBuild(env.cli, 1);
    await watch.waitForStdout(`job ${next} (target 1, x86_64) running on cli-agent`);
    watch.interrupt();
    env.agent.release(next);
    const res = await watch.done;
    expect(res.stdout).not.toContain(`job ${other} `);
    const lines = res.stdout
      .trimEnd()
      .split("\n")
      .map((l) => l.slice(21));
    expect(lines.slice(-3)).toEqual([
      `job ${next} (target 1, x86_64) queued`,
      `job ${next} (target 1, x86_64) dispatched on cli-agent`,
      `job ${next} (target 1, x86_64) running on cli-agent`,
    ]);
  });
});
