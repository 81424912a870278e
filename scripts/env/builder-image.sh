#!/usr/bin/env bash
# A local base image with makepkg for the agent's container tests. No registry
# is reachable from these machines, so the image is a debootstrapped Debian
# bookworm (makepkg + pacman from Debian) imported into Podman's storage.
#
#   builder-image.sh        build or reuse the image, print its name
#
# Env: VIETER_BASE_IMAGE (default localhost/vieter-base:debian-bookworm),
#      VIETER_CACHE_DIR (default ~/.cache/vieter): the rootfs tarball is kept
#      there, keyed by the package list, so a rerun is an import (seconds).
# Skips everything when the image exists and carries the same key.
set -euo pipefail

IMAGE="${VIETER_BASE_IMAGE:-localhost/vieter-base:debian-bookworm}"
CACHE="${VIETER_CACHE_DIR:-${HOME:-/root}/.cache/vieter}"
SUITE=bookworm
# bsdtar (libarchive-tools) and strip (binutils) are not dependencies of
# Debian's makepkg, but makepkg cannot package without them.
PACKAGES=makepkg,pacman-package-manager,fakeroot,libarchive-tools,binutils,git,curl,zstd,xz-utils,ca-certificates
# Bump when the steps below change what ends up in the rootfs.
RECIPE=1
KEY=$(printf '%s|%s|%s|%s' "$SUITE" minbase "$PACKAGES" "$RECIPE" | sha256sum | cut -c1-16)
TARBALL="$CACHE/rootfs-debian-$SUITE-$KEY.tar"
LABEL=org.vieter.base-key

log() { echo "builder-image.sh: $*" >&2; }

image_key() {
  podman image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$IMAGE" 2>/dev/null || true
}

# The Debian mirror this machine's apt already uses (deb822 or one-line format).
mirror() {
  local uri
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing $1 (run: sudo apt-get install -y $2)"
    exit 1
  fi
  log "installing $2"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$2" >/dev/null
}

build_rootfs() {
  need debootstrap debootstrap
  local root
  root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf --one-file-system '$root'" EXIT
  local url
  url=$(mirror)
  log "debootstrap $SUITE from $url (about a minute)"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$url" >"$CACHE/debootstrap.log" 2>&1 ||
    {
      tail -n 20 "$CACHE/debootstrap.log" >&2
      exit 1
    }
  # Creates the ALPM database; without it makepkg warns on every run. rc 1 is fine.
  chroot "$root" pacman -Q >/dev/null 2>&1 || true
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  rm -rf --one-file-system "$root"
  trap - EXIT
}

mkdir -p "$CACHE"
exec 9>"$CACHE/builder-image.lock"
flock 9
command -v podman >/dev/null 2>&1 || need podman podman
if [ "$(image_key)" = "$KEY" ]; then
  echo "$IMAGE"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  log "debootstrap and podman import need root"
  exit 1
fi
[ -f "$TARBALL" ] || build_rootfs
log "importing $TARBALL as $IMAGE"
podman import \
  --change 'CMD ["/bin/bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL $LABEL=$KEY" \
  --quiet "$TARBALL" "$IMAGE" >/dev/null
echo "$IMAGE"
