// Builds real pacman packages with the real makepkg, for tests anywhere in
// the project (repo, publish, agents). makepkg refuses to run as root, so as
// root the build runs as the unprivileged `nobody` (no user is created, which
// keeps parallel test files from racing on useradd). Call cleanupTempDirs()
// from ./temp-dirs.js in afterAll to remove the build directories.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./exec.js";
import { tempDir } from "./temp-dirs.js";

/** The package extensions makepkg can produce and the server accepts. */
export type PackageExtension = ".pkg.tar.zst" | ".pkg.tar.xz" | ".pkg.tar.gz" | ".pkg.tar";

/** What to build. */
export interface MakePackageOptions {
  /** The PKGBUILD text. Add `options=(!strip !debug)` to keep builds fast. */
  pkgbuild: string;
  /** Compression, through makepkg's PKGEXT (default `.pkg.tar.zst`). */
  pkgext?: PackageExtension;
  /** Target architecture (CARCH), e.g. `aarch64`; makepkg's default is `x86_64`. */
  carch?: string;
  /** Extra files next to the PKGBUILD (install scripts, changelogs, sources). */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** PACKAGER value written into `.PKGINFO` (default "Vieter Tests <tests@vieter.invalid>"). */
  packager?: string;
  /** Build directory, created if missing (as root: reachable by `nobody`); default: a temp dir that `cleanupTempDirs()` removes. */
  dir?: string;
}

/** A fixed build date (SOURCE_DATE_EPOCH) so packages are reproducible. */
export const TEST_BUILD_DATE = 1_700_000_000;

const BUILD_USER = "nobody";

/**
 * Runs `makepkg --nodeps` on the PKGBUILD and returns the absolute paths of
 * the built package files, sorted (one per pkgname of a split package).
 */
export async function makePackage(options: MakePackageOptions): Promise<string[]> {
  const dir = options.dir ?? (await tempDir("vieter-makepkg-"));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "PKGBUILD"), options.pkgbuild);
  for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(dir, name), content);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chownTree(dir, BUILD_USER);
  const env = [
    `HOME=${dir}`,
    `PKGEXT=${options.pkgext ?? ".pkg.tar.zst"}`,
    `SOURCE_DATE_EPOCH=${TEST_BUILD_DATE}`,
    `PACKAGER=${options.packager ?? "Vieter Tests <tests@vieter.invalid>"}`,
    "LC_ALL=C.UTF-8",
    ...(options.carch ? [`CARCH=${options.carch}`] : []),
  ];
  const makepkg = ["env", ...env, "makepkg", "--nodeps", "--noconfirm", "--nocolor", "--noprogressbar"];
  // runuser resets the environment only partly; `env` sets exactly what makepkg needs.
  await (asRoot
    ? run("runuser", ["-u", BUILD_USER, "--", ...makepkg], { cwd: dir })
    : run(makepkg[0]!, makepkg.slice(1), { cwd: dir }));
  const built = (await readdir(dir)).filter((name) => /\.pkg\.tar(?:\.[a-z0-9]+)?$/.test(name)).sort();
  if (built.length === 0) throw new Error(`makepkg produced no package in ${dir}`);
  return built.map((name) => join(dir, name));
}

/** Hands the build directory (mkdtemp makes it 0700) to the build user and its group. */
async function chownTree(dir: string, user: string): Promise<void> {
  await run("chown", ["-R", `${user}:`, dir]);
}
