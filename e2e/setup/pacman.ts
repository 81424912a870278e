/**
 * A real pacman in a throw-away root, configured to sync from a test
 * server's repo (SigLevel Never: nothing here is signed).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** A pacman bound to one root. */
export interface TestPacman {
  readonly root: string;
  /** Runs pacman with the root's options; resolves with stdout, rejects with stderr. */
  run(...args: string[]): Promise<string>;
}

/** Creates a root whose pacman.conf lists `repo` at `baseUrl`. */
export async function createPacman(baseUrl: string, repo: string, arch = "x86_64"): Promise<TestPacman> {
  const root = await mkdtemp(join(tmpdir(), "vieter-pacman-"));
  const dbpath = join(root, "var/lib/pacman");
  for (const dir of [dbpath, join(root, "cache"), join(root, "hooks"), join(root, "gnupg")])
    await mkdir(dir, { recursive: true });
  const conf = join(root, "pacman.conf");
  await writeFile(
    conf,
    `[options]\nArchitecture = ${arch}\nSigLevel = Never\nLocalFileSigLevel = Never\n\n[${repo}]\nServer = ${baseUrl}/$repo/$arch\n`,
  );
  const base = [
    "--root",
    root,
    "--dbpath",
    dbpath,
    "--config",
    conf,
    "--cachedir",
    join(root, "cache"),
    "--hookdir",
    join(root, "hooks"),
    "--gpgdir",
    join(root, "gnupg"),
    "--logfile",
    join(root, "pacman.log"),
    "--noconfirm",
    "--color",
    "never",
  ];
  return {
    root,
    async run(...args) {
      try {
        // --noprogressbar is a sync option; -Q refuses it.
        const sync = args[0]?.startsWith("-S") ? ["--noprogressbar"] : [];
        const { stdout } = await exec("pacman", [...base, ...sync, ...args], { timeout: 60_000 });
        return stdout;
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`pacman ${args.join(" ")} failed: ${e.stderr ?? ""}${e.stdout ?? ""}${e.message}`);
      }
    },
  };
}
