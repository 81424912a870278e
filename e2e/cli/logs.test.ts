/**
 * `vieter logs …` and `targets build --follow` as child processes against a
 * real server, with a real in-process agent whose fake build executor stands
 * in for the container: follow ending when the job ends, Vieter's filters,
 * all three output modes, and the server's errors.
 */
import { describe, expect, it } from "vitest";
import { FAKE_AGENT } from "./setup/fake-agent.js";
import { queueBuild, useFakeBuilds } from "./setup/fake-builds.js";
import { rawRows, testLocalTime } from "./setup/run-cli.js";

const env = useFakeBuilds("cli-logs", [["ok"], ["fail"]]);
let okJob = 0;
let failJob = 0;

interface LogJson {
  id: number;
  jobId: number;
  result: string;
  exitCode: number | null;
  startTime: string;
}

/** `YYYY-MM-DD` of an ISO time in the CLI's zone. */
const localDay = (iso: string) => testLocalTime(new Date(iso)).slice(0, 10);

async function listJson(...filters: string[]): Promise<LogJson[]> {
  const res = await env.cli.run(["logs", "list", "--json", ...filters]);
  expect(res.stderr).toBe("");
  return JSON.parse(res.stdout).logs;
}

describe("vieter logs (fake build executor instead of a container)", () => {
  it("follows a job's log live and ends when the job ends", async () => {
    okJob = await queueBuild(env.cli, 1);
    const follow = env.cli.start(["logs", "follow", "--job", String(okJob)]);
    await follow.waitForStdout("==> Making package");
    expect(follow.stdout()).not.toContain("Finished");
    env.agent.release(okJob);
    expect(await follow.done).toEqual({
      code: 0,
      stdout: `==> Making package for job ${okJob}\n==> Finished making package\n`,
      stderr: "",
    });
  });

  it("builds with --follow: prints the jobs, the log to its end, and exits 1 when the build failed", async () => {
    const follow = env.cli.start(["targets", "build", "2", "--follow"]);
    await follow.waitForStdout("==> Making package");
    failJob = Number(/^\s*(\d+)\s+2\s+x86_64\s+queued/m.exec(follow.stdout())![1]);
    env.agent.release(failJob);
    const res = await follow.done;
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^ID\s+TARGET\s+ARCH\s+STATE\s+REASON\s+FORCE\s+CREATED\n/);
    expect(res.stdout).toContain(`==> Making package for job ${failJob}\nerror: boom\n`);
    expect(res.stderr).toMatch(
      new RegExp(`job ${failJob} \\(target 2, x86_64\\) failed on cli-agent: build: makepkg exited with 1\\n$`),
    );
  });

  it("lists logs newest first as a table, raw rows and JSON", async () => {
    const [table, raw, logs] = await Promise.all([
      env.cli.run(["logs", "list"]),
      env.cli.run(["logs", "list", "-r"]),
      listJson(),
    ]);
    expect(logs.map((l) => [l.jobId, l.result])).toEqual([
      [failJob, "failed"],
      [okJob, "succeeded"],
    ]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+TARGET\s+STARTED\s+EXIT\s+JOB\s+ARCH\s+RESULT\s+SIZE$/);
    const failed = logs[0]!;
    expect(table.stdout).toContain(testLocalTime(new Date(failed.startTime)));
    expect(rawRows(raw.stdout)[0]).toEqual([
      String(failed.id),
      "2",
      testLocalTime(new Date(failed.startTime)),
      "1",
      String(failJob),
      "x86_64",
      "failed",
      String(`==> Making package for job ${failJob}\nerror: boom\n`.length),
    ]);
  });

  it("filters with Vieter's flags: target, failed, codes with !, result, day, before and after", async () => {
    const [ok, failed] = [await listJson("--target", "1"), await listJson("--failed")];
    expect(ok.map((l) => l.jobId)).toEqual([okJob]);
    expect(failed.map((l) => l.jobId)).toEqual([failJob]);
    expect((await listJson("--code", "1")).map((l) => l.jobId)).toEqual([failJob]);
    expect((await listJson("--code", "!1")).map((l) => l.jobId)).toEqual([okJob]);
    expect(await listJson("--code", "!1", "--code", "!0")).toEqual(
      (await listJson("--code", "!1")).filter((l) => l.exitCode !== 0),
    );
    expect((await listJson("--result", "succeeded")).map((l) => l.jobId)).toEqual([okJob]);

    // Expected days come from the logs' own start times in the CLI's zone, not from the wall
    // clock, so the checks hold when the two builds straddle local midnight (18:30 UTC).
    const all = await listJson();
    const idsOn = (day: string) => all.filter((l) => localDay(l.startTime) === day).map((l) => l.id);
    const start = new Date(ok[0]!.startTime);
    const day = localDay(ok[0]!.startTime);
    expect((await listJson("--day", day)).map((l) => l.id)).toEqual(idsOn(day));
    expect(await listJson("--day", localDay(new Date(start.getTime() - 86_400_000).toISOString()))).toEqual([]);
    // --today is the CLI's own day: the test's day before or after the run (they differ only across midnight).
    const dayBefore = localDay(new Date().toISOString());
    const today = (await listJson("--today")).map((l) => l.id);
    const dayAfter = localDay(new Date().toISOString());
    expect([idsOn(dayBefore), idsOn(dayAfter)]).toContainEqual(today);
    // Whole seconds in local time: the failing build started after the succeeding one began.
    const second = testLocalTime(new Date(start.getTime() - 1000));
    expect((await listJson("--after", second)).length).toBe(2);
    expect(await listJson("--before", second)).toEqual([]);
    expect(await listJson("--before", day)).toEqual([]);
  });

  it("shows a log's metadata and content in every mode", async () => {
    const [log] = await listJson("--failed");
    const [table, raw, json, content, contentJson] = await Promise.all([
      env.cli.run(["logs", "info", String(log!.id)]),
      env.cli.run(["logs", "info", String(log!.id), "-r"]),
      env.cli.run(["logs", "info", String(log!.id), "--json"]),
      env.cli.run(["logs", "content", String(log!.id)]),
      env.cli.run(["logs", "content", String(log!.id), "--json"]),
    ]);
    expect(table.stdout).toContain("result:       failed\n");
    expect(table.stdout).toContain("exit code:    1\n");
    expect(table.stdout).toContain("failed step:  build\n");
    expect(rawRows(raw.stdout)).toEqual(
      expect.arrayContaining([
        ["job", String(failJob)],
        ["agent", "cli-agent"],
      ]),
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: log!.id,
      jobId: failJob,
      targetId: 2,
      arch: "x86_64",
      agent: FAKE_AGENT.name,
      result: "failed",
      exitCode: 1,
      cause: { step: "build", message: "makepkg exited with 1" },
    });
    const text = `==> Making package for job ${failJob}\nerror: boom\n`;
    expect(content).toEqual({ code: 0, stdout: text, stderr: "" });
    expect(contentJson.stdout).toBe(text);
    const ended = await env.cli.run(["logs", "follow", String(log!.id)]);
    expect(ended).toEqual({ code: 1, stdout: text, stderr: "" });
  });

  it("reports unknown logs with the server's message and code, and bad flags as usage errors", async () => {
    const [info, content, follow, badDay, badCode, both, neither, dayAndBefore] = await Promise.all([
      env.cli.run(["logs", "info", "999"]),
      env.cli.run(["logs", "content", "999"]),
      env.cli.run(["logs", "follow", "--job", "999"]),
      env.cli.run(["logs", "list", "--day", "2026-02-30"]),
      env.cli.run(["logs", "list", "--code", "!x"]),
      env.cli.run(["logs", "follow", "1", "--job", "1"]),
      env.cli.run(["logs", "follow"]),
      env.cli.run(["logs", "list", "--day", "2026-11-24", "--before", "2026-11-25"]),
    ]);
    expect(info).toMatchObject({ code: 1, stdout: "", stderr: "error: log 999 does not exist (not_found)\n" });
    expect(content).toMatchObject({ code: 1, stderr: "error: log 999 does not exist (not_found)\n" });
    expect(follow).toMatchObject({ code: 1, stderr: "error: job 999 does not exist (not_found)\n" });
    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toContain("must be a local date and time");
    expect(badCode.code).toBe(2);
    expect(badCode.stderr).toContain("must be an exit code");
    expect(both).toMatchObject({ code: 2, stderr: "error: give a log id or --job, not both\n" });
    expect(neither.code).toBe(2);
    expect(dayAndBefore.code).toBe(2);
    expect(dayAndBefore.stderr).toContain("--day sets the time range");
  });

  it("removes a log", async () => {
    const [log] = await listJson("--target", "1");
    expect(await env.cli.run(["logs", "remove", String(log!.id)])).toMatchObject({
      code: 0,
      stdout: `Log ${log!.id} removed.\n`,
    });
    expect((await env.cli.run(["logs", "info", String(log!.id), "-r"])).code).toBe(1);
    expect((await listJson()).map((l) => l.jobId)).toEqual([failJob]);
  });

  it("builds with --follow --json: the ended jobs go to stdout as one document (last: its log would upset the lists)", async () => {
    expect((await env.cli.run(["targets", "add", "https://example.com/other.git", "cli-logs-other"])).code).toBe(0);
    const res = await env.cli.run(["targets", "build", "3", "--follow", "--json"]);
    expect(res.code).toBe(0);
    const { jobs } = JSON.parse(res.stdout);
    expect(jobs).toEqual([expect.objectContaining({ targetId: 3, state: "skipped", agent: FAKE_AGENT.name })]);
  });
});
