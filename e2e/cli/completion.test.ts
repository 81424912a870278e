/**
 * `vieter completion bash|zsh` from the real binary: the scripts parse
 * (`bash -n`, `zsh -n`) and complete commands and flags from the command
 * tree, run in the real shells.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRunner, createCliRunner } from "./setup/run-cli.js";

const exec = promisify(execFile);
let cli: CliRunner;
const scripts = { bash: "", zsh: "" };
beforeAll(async () => {
  cli = await createCliRunner();
  for (const shell of ["bash", "zsh"] as const) {
    const res = await cli.run(["completion", shell]);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    scripts[shell] = join(cli.home, `vieter.${shell}`);
    await writeFile(scripts[shell], res.stdout);
  }
});
afterAll(() => cli.cleanup());

/** What bash's completion function offers for the words typed (the last one is being completed). */
async function bashComplete(...words: string[]): Promise<string[]> {
  const shellWords = words.map((w) => `'${w}'`).join(" ");
  const { stdout } = await exec("bash", [
    "-c",
    `source '${scripts.bash}'; COMP_WORDS=(vieter ${shellWords}); COMP_CWORD=${words.length}; _vieter; ` +
      'printf "%s\\n" "${COMPREPLY[@]}"',
  ]);
  return stdout.split("\n").filter((l) => l !== "");
}

describe("vieter completion", () => {
  it("prints bash and zsh scripts the shells accept", async () => {
    await exec("bash", ["-n", scripts.bash]);
    await exec("zsh", ["-n", scripts.zsh]);
    const bad = await cli.run(["completion", "fish"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are bash, zsh");
  });

  it("completes commands, subcommands and flags in bash, skipping global flags and their values", async () => {
    expect(await bashComplete("")).toEqual(
      expect.arrayContaining(["targets", "repos", "jobs", "logs", "agents", "aur", "schedule", "completion"]),
    );
    expect(await bashComplete("--address", "http://x:8000", "-r", "jo")).toEqual(["jobs"]);
    expect(await bashComplete("logs", "")).toEqual(["list", "info", "content", "remove", "follow"]);
    expect(await bashComplete("logs", "list", "--c")).toEqual(["--code", "--config-file"]);
    expect(await bashComplete("targets", "build", "3", "--f")).toEqual(["--force", "--follow"]);
    // After a flag that takes a value nothing is offered, so bash falls back to file names;
    // that value is not a command even when it looks like one.
    expect(await bashComplete("-f", "")).toEqual([]);
    expect(await bashComplete("-f", "targets", "targets", "")).toEqual([
      "list",
      "add",
      "info",
      "edit",
      "remove",
      "build",
    ]);
  });

  it("completes in zsh through compadd (zsh's completion builtins replaced by stand-ins that print)", async () => {
    const { stdout } = await exec("zsh", [
      "-c",
      `compdef() {}; compadd() { shift; print -r -- "$*"; }; _files() { print files; }; source '${scripts.zsh}'; ` +
        "words=(vieter -r agents ''); CURRENT=4; PREFIX=''; _vieter; " +
        "words=(vieter agents drain --u); CURRENT=4; PREFIX=--u; _vieter; " +
        "words=(vieter --api-key ''); CURRENT=3; PREFIX=''; _vieter",
    ]);
    const [commands, flags, value] = stdout.trimEnd().split("\n");
    expect(commands).toBe("list drain");
    expect(flags!.split(" ")).toEqual(expect.arrayContaining(["--undo", "--json", "--help"]));
    expect(value).toBe("files");
  });
});
