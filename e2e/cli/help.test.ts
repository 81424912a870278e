/**
 * Every command explains its arguments and shows an example; `--help` and
 * usage errors from the real binary; `vieter server` is still wired in.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../cli/main.js";
import { serverConfigSchema } from "../../server/config.js";
import { createCliRunner } from "./setup/run-cli.js";

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

function helpOf(cmd: Command, out: { text: string }): string {
  out.text = "";
  cmd.outputHelp();
  return out.text;
}

describe("help", () => {
  it("gives every command a description, described arguments and an example", () => {
    const out = { text: "" };
    const io = {
      stdout: { write: (s: string) => (out.text += s) },
      stderr: { write: (s: string) => (out.text += s) },
      env: {},
      stderrIsTty: false,
    };
    const program = buildProgram({ server: async () => 0 }, () => {}, io);
    const commands = allCommands(program);
    const names = commands.map((c) => c.name());
    expect(names).toEqual(
      expect.arrayContaining(["server", "targets", "list", "add", "info", "edit", "remove", "build", "repos"]),
    );
    expect(names).toEqual(expect.arrayContaining(["packages", "package", "publish", "schedule"]));
    expect(names).toEqual(
      expect.arrayContaining(["jobs", "watch", "logs", "content", "follow", "agents", "drain", "aur", "search"]),
    );
    expect(names).toContain("completion");
    for (const cmd of commands) {
      const help = helpOf(cmd, out);
      expect(cmd.description(), cmd.name()).not.toBe("");
      expect(help, `${cmd.name()} --help`).toMatch(/\nExamples:\n {2}\$ .*vieter /);
      for (const arg of cmd.registeredArguments) expect(arg.description, `${cmd.name()} <${arg.name()}>`).not.toBe("");
    }
  });

  it("names every server configuration key in `server --help`", () => {
    const out = { text: "" };
    const io = { stdout: { write: (s: string) => (out.text += s) }, stderr: { write: () => {} }, env: {} };
    const program = buildProgram({ server: async () => 0 }, () => {}, { ...io, stderrIsTty: false });
    const help = helpOf(
      program.commands.find((c) => c.name() === "server")!,
      out,
    );
    for (const key of Object.keys(serverConfigSchema)) expect(help, key).toMatch(new RegExp(`\\b${key}\\b`));
  });

  it("prints help from the real binary, keeps `server` wired, and treats unknown commands as usage errors", async () => {
    const cli = await createCliRunner();
    try {
      const [root, edit, server, unknown, badFlag] = await Promise.all([
        cli.run(["--help"]),
        cli.run(["targets", "edit", "--help"]),
        cli.run(["server", "--help"]),
        cli.run(["frobnicate"]),
        cli.run(["targets", "list", "--limit", "many"]),
      ]);
      expect(root.code).toBe(0);
      for (const word of ["server", "targets", "repos", "schedule", "jobs", "logs", "agents", "aur", "--aur-url"]) {
        expect(root.stdout).toContain(word);
      }
      for (const word of ["completion", "-r, --raw", "--json", "Exit status"]) {
        expect(root.stdout).toContain(word);
      }
      expect(edit.code).toBe(0);
      for (const flag of ["--url", "--repo", "--branch", "--path", "--arch", "--schedule", "--kind"]) {
        expect(edit.stdout).toContain(flag);
      }
      expect(server.stdout).toContain("global_schedule");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'frobnicate'");
      expect(badFlag.code).toBe(2);
      expect(badFlag.stderr).toContain("must be a whole number");
    } finally {
      await cli.cleanup();
    }
  });
});
