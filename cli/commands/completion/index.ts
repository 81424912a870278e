/** `vieter completion bash|zsh`: prints a shell completion script made from the command tree. */
import { type Command, Argument } from "commander";
import type { CliContext } from "../../context.js";
import { examples } from "../help.js";
import { bashScript, zshScript } from "./scripts.js";
import { completionTree } from "./tree.js";

/** Registers `completion`. */
export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command("completion")
    .description("Print a completion script for bash or zsh: commands and flags complete, values as file names.")
    .addArgument(new Argument("<shell>", "the shell: bash or zsh").choices(["bash", "zsh"]))
    .addHelpText(
      "after",
      examples(
        "source <(vieter completion bash)    # in ~/.bashrc",
        "source <(vieter completion zsh)     # in ~/.zshrc, after compinit",
        "vieter completion bash > /usr/share/bash-completion/completions/vieter",
      ),
    )
    .action((shell: "bash" | "zsh") => {
      const tree = completionTree(program);
      ctx.io.stdout.write(shell === "bash" ? bashScript(tree) : zshScript(tree));
    });
}
