// The PKGBUILD of the repository tests (server/repo, e2e): one small package
// per call, with the metadata pacman shows, built fast by makePackage().

/** What may differ between test packages besides name and version. */
export interface TestPkgbuildOptions {
  /** Default 1. */
  readonly pkgrel?: number;
  /** makepkg's arch=(…); default x86_64. Build a foreign arch with makePackage's `carch`. */
  readonly arch?: string;
  /** More PKGBUILD lines, e.g. `epoch=1` or `provides=(x)`. */
  readonly extra?: string;
  /**
   * Install `/usr/bin/<pkgname>`, a script printing name and version, for
   * tests that look for a command in what pacman installed; by default the
   * package holds one data file under `/usr/share/<pkgname>/`.
   */
  readonly command?: boolean;
}

/**
 * A PKGBUILD for one package with a non-ASCII description, a URL, a license
 * and optdepends (so `desc` has those fields), and without strip or debug
 * packages (so makepkg is quick).
 */
export function testPkgbuild(pkgname: string, pkgver: string, options: TestPkgbuildOptions = {}): string {
  const pkgrel = options.pkgrel ?? 1;
  const install = options.command
    ? `install -Dm755 /dev/stdin "$pkgdir/usr/bin/${pkgname}" <<< "#!/bin/sh
echo ${pkgname} ${pkgver}-${pkgrel}"`
    : `install -Dm644 /dev/null "$pkgdir/usr/share/${pkgname}/data"`;
  return String.raw`
pkgname=${pkgname}
pkgver=${pkgver}
pkgrel=${pkgrel}
pkgdesc="Ünïcode description for ${pkgname}"
arch=(${options.arch ?? "x86_64"})
url="https://example.com/${pkgname}"
license=(MIT)
optdepends=('foo: does x' 'bar')
${options.extra ?? ""}
options=(!strip !debug)
package() {
  ${install}
}
`;
}
