#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (real pacman, makepkg,
# repo-add, vercmp, bsdtar), when any is missing. Needs root for apt-get.
set -euo pipefail

# command -> Debian package
declare -A NEED=(
  [pacman]=pacman-package-manager
  [makepkg]=makepkg
  [repo-add]=pacman-package-manager
  [vercmp]=pacman-package-manager
  [bsdtar]=libarchive-tools
  [fakeroot]=fakeroot
  [strip]=binutils
  [zstd]=zstd
  [xz]=xz-utils
  [git]=git
  [curl]=curl
  [openssl]=openssl
  [zsh]=zsh
)

missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing packages: $pkgs(run: sudo apt-get install -y $pkgs)" >&2
  exit 1
fi
echo "system-deps: installing $pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $pkgs >/dev/null
