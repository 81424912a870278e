/**
 * The command tree as completion scripts need it: for each command path
 * (`""`, `"targets"`, `"targets list"`), its subcommands, its flags and which
 * flags take a value. Read from commander at run time, so a new command or
 * flag completes without touching the scripts.
 */
import type { Command } from "commander";

/** One command of the tree. */
export interface CompletionNode {
  /** Space-separated names below the root; "" for the root. */
  readonly path: string;
  readonly commands: readonly string[];
  /** Every flag spelling, the root's global flags and --help included. */
  readonly flags: readonly string[];
  /** The flags that consume the next word. */
  readonly valued: readonly string[];
}

function spellings(cmd: Command): { flags: string[]; valued: string[] } {
  const flags: string[] = [];
  const valued: string[] = [];
  for (const option of cmd.options) {
    const names = [option.short, option.long].filter((n): n is string => n !== undefined);
    flags.push(...names);
    if (option.required || option.optional) valued.push(...names);
  }
  return { flags, valued };
}

/** Every command of `program`, root first. */
export function completionTree(program: Command): CompletionNode[] {
  const global = spellings(program);
  const nodes: CompletionNode[] = [];
  const visit = (cmd: Command, path: string): void => {
    const own = cmd === program ? { flags: [], valued: [] } : spellings(cmd);
    nodes.push({
      path,
      commands: cmd.commands.map((c) => c.name()),
      flags: [...own.flags, ...global.flags, "-h", "--help"],
      valued: [...own.valued, ...global.valued],
    });
    for (const sub of cmd.commands) visit(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, "");
  return nodes;
}

/**
 * Shell functions (valid in bash and zsh) answering, for a command path in
 * $1, its subcommands, flags and valued flags, one `case` each.
 */
export function shellTables(nodes: readonly CompletionNode[]): string {
  const table = (name: string, pick: (n: CompletionNode) => readonly string[]): string =>
    [
      `${name}() {`,
      '  case "$1" in',
      ...nodes.map((n) => `    "${n.path}") echo "${pick(n).join(" ")}" ;;`),
      "  esac",
      "}",
    ].join("\n");
  return [
    table("_vieter_commands", (n) => n.commands),
    table("_vieter_flags", (n) => n.flags),
    table("_vieter_valued", (n) => n.valued),
  ].join("\n\n");
}
