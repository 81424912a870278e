// Runs the real pacman tools (makepkg, repo-add, vercmp, bsdtar) for tests.
import { execFile } from "node:child_process";

/** Options for {@link run}. */
export interface RunOptions {
  cwd?: string;
  /** Added to (and overriding) the inherited environment. */
  env?: Record<string, string>;
  /** Written to the command's standard input (which is closed either way). */
  input?: string | Uint8Array;
}

/**
 * Runs a command without a shell and returns its standard output as a Buffer
 * (file lists and archives are bytes, not text). A non-zero exit rejects with
 * the command line and its stderr, so a failing tool explains itself.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        encoding: "buffer",
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const detail = stderr.toString("utf8").trim();
        reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}${detail ? `\n${detail}` : ""}`));
      },
    );
    // A command that exits without reading its input must not crash the test run with EPIPE.
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(options.input ?? "");
  });
}
