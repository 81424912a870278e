/** Help text pieces shared by the commands, so every `--help` ends the same way. */

/** The "Examples:" block shown after a command's options. */
export function examples(...lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith("#") ? `  ${l}` : `  $ ${l}`)).join("\n")}`;
}
