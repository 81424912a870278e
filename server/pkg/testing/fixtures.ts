// PKGBUILDs for the repo-add parity tests: together they exercise every
// .PKGINFO key makepkg writes, split packages, epochs, every compression,
// foreign and `any` architectures, and file names that need escaping.

/**
 * A split package (each pkgname costs makepkg ~3 s of PKGBUILD introspection,
 * so two): different metadata per package, epoch, backup, install and
 * changelog files, and file names that need escaping.
 */
export const SPLIT_PKGBUILD = String.raw`
pkgbase=vieter-split
pkgname=(vieter-split-a vieter-split-b)
pkgver=2.1.0
pkgrel=3
epoch=2
arch=(x86_64)
pkgdesc="Ünïcödé   description — with “quotes”,"$'\t'"a tab and  double  spaces"
url="https://example.org/vieter?x=1&y=2"
license=(MIT 'GPL-2.0-or-later' 'custom:Foo Bar')
groups=(vieter-group other-group)
makedepends=('make' 'cmake>=3.0')
checkdepends=('python-pytest')
options=(!strip !debug)

package_vieter-split-a() {
  depends=('glibc>=2.36' 'bash')
  optdepends=('python: for the helper script' 'zsh:   completions   with   spaces' 'fish')
  provides=('vieter-split=2.1.0' 'libvieter.so=1-64')
  conflicts=('vieter-old<2')
  replaces=('vieter-legacy')
  backup=('etc/vieter/a.conf' 'etc/vieter/b.conf')
  install=vieter.install
  changelog=ChangeLog
  install -Dm644 /dev/null "$pkgdir/etc/vieter/a.conf"
  install -Dm644 /dev/null "$pkgdir/etc/vieter/b.conf"
  install -Dm755 /dev/null "$pkgdir/usr/bin/vieter-a"
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter/deep/nested/dir/file.txt"
  mkdir -p "$pkgdir/usr/share/vieter/empty-dir"
  ln -s deep/nested/dir/file.txt "$pkgdir/usr/share/vieter/link"
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter/with space/naïve ü.txt"
  install -Dm644 /dev/null "$pkgdir/usr/lib/systemd/system/vieter\x2dfoo.service"
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter/tab"$'\t'"in name"
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter/.hidden-file"
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter/漢字😀"
}

package_vieter-split-b() {
  pkgdesc="The B package"
  arch=(any)
  depends=('vieter-split-a')
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter-b/readme"
}

`;

/** Files next to {@link SPLIT_PKGBUILD}. */
export const SPLIT_FILES = {
  "vieter.install": "post_install() {\n  echo installed\n}\n",
  ChangeLog: "2.1.0: things changed\n",
};

/** A package for a foreign architecture, with a dotted pkgrel and a busy pkgver. */
export const FOREIGN_PKGBUILD = String.raw`
pkgname=vieter-arm
pkgver=0.9.1+r12.g1a2b3c4_beta~rc1
pkgrel=1.1
arch=(aarch64 x86_64)
pkgdesc="Built for aarch64"
url="https://example.org/arm"
license=(Apache-2.0)
options=(!strip !debug)
package() {
  install -Dm644 /dev/null "$pkgdir/usr/lib/vieter-arm/lib.so"
}
`;

/** The smallest sensible package: no description, URL, license or groups (so those fields vanish); arch any. */
export const MINIMAL_PKGBUILD = String.raw`
pkgname=vieter-minimal
pkgver=1
pkgrel=1
arch=(any)
options=(!strip !debug)
package() {
  install -Dm644 /dev/null "$pkgdir/usr/share/vieter-minimal/x"
}
`;

/** Many files in nested directories, to exercise sorting and de-duplication of the list. */
export const MANY_FILES_PKGBUILD = String.raw`
pkgname=vieter-many
pkgver=3.0.0
pkgrel=1
arch=(x86_64)
pkgdesc="Many files"
options=(!strip !debug)
package() {
  for d in a B c _ 1 Z; do
    for f in x X 10 9 a.b a-b a_b 'a b' ä; do
      install -Dm644 /dev/null "$pkgdir/usr/share/vieter-many/$d/$f"
      install -Dm644 /dev/null "$pkgdir/opt/vieter-many/$d/sub/$f"
    done
  done
}
`;
