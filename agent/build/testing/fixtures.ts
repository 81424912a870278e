/**
 * PKGBUILDs without dependencies (the Debian test image cannot resolve Arch
 * packages) and git repositories holding them.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What a test PKGBUILD looks like. */
export interface PkgbuildOptions {
  readonly names?: string[];
  readonly pkgver?: string;
  readonly pkgrel?: number;
  readonly epoch?: number;
  /** A pkgver() function printing this (makepkg --nobuild then rewrites pkgver). */
  readonly pkgverFunction?: string;
  /** Body of build(); default: writes a tiny shell script. */
  readonly build?: string;
}

/** A PKGBUILD for `arch=(any)` packages, one per name (a split package when several). */
export function pkgbuild(options: PkgbuildOptions = {}): string {
  const names = options.names ?? ["vieter-hello"];
  const lines = [
    `pkgname=(${names.join(" ")})`,
    `pkgver=${options.pkgver ?? "1.0"}`,
    `pkgrel=${options.pkgrel ?? 1}`,
    ...(options.epoch === undefined ? [] : [`epoch=${options.epoch}`]),
    "pkgdesc='Vieter agent test package'",
    "arch=(any)",
    "license=(MIT)",
    ...(options.pkgverFunction ? [`pkgver() { echo ${options.pkgverFunction}; }`] : []),
    `build() {\n  ${options.build ?? `printf '#!/bin/sh\\necho hello\\n' >hello`}\n}`,
  ];
  for (const name of names) {
    const fn = names.length > 1 ? `package_${name}` : "package";
    lines.push(`${fn}() {\n  install -Dm755 hello "$pkgdir/usr/bin/${name}"\n}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A bare repository `<root>/<name>.git` whose branch `branch` has `files`
 * (path → content); further branches from `branches`. Returns the bare path.
 */
export function gitRepo(
  root: string,
  name: string,
  files: Record<string, string>,
  branches: Record<string, Record<string, string>> = {},
): string {
  const work = join(root, `${name}.work`);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: work, stdio: "pipe" });
  mkdirSync(work, { recursive: true });
  git("init", "-q", "-b", "main");
  const commit = (content: Record<string, string>) => {
    for (const [path, body] of Object.entries(content)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), body);
    }
    git("add", "-A");
    git("commit", "-q", "-m", "test");
  };
  commit(files);
  for (const [branch, content] of Object.entries(branches)) {
    git("checkout", "-q", "-b", branch, "main");
    commit(content);
  }
  git("checkout", "-q", "main");
  const bare = join(root, `${name}.git`);
  execFileSync("git", ["clone", "-q", "--bare", work, bare], { stdio: "pipe" });
  return bare;
}
