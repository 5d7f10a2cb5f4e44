#!/usr/bin/env bash
# Builds a busybox that behaves like the official `busybox` image's, for the probe tests.
#
# Why not Debian's busybox package: it is configured down (its nc has no -z/-v/-u, its wget crashes in the
# cases we test; see shared/reference/busybox-probe.md). The official image is built with `make defconfig`;
# we apply that recipe to Debian's *source* package. CONFIG_TC is switched off because it does not build
# against current kernel headers. The binary is cached, so only the first run pays the ~40 s build.
#
# Prints the path of the binary on stdout. Needs: apt-get (with a deb-src entry, added here if missing),
# dpkg-dev, build-essential.
set -euo pipefail

cache_dir="${FLOWPROBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flowprobe}"
out="$cache_dir/busybox-defconfig/busybox"

if [[ -x "$out" ]]; then
  echo "$out"
  exit 0
fi

log() { echo "build-busybox: $*" >&2; }

if ! apt-cache showsrc busybox >/dev/null 2>&1 || [[ -z "$(apt-cache showsrc busybox 2>/dev/null)" ]]; then
  log "adding a deb-src entry for Debian's busybox source package"
  # shellcheck source=/dev/null
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  cat >/etc/apt/sources.list.d/flowprobe-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  apt-get update >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
log "fetching Debian's busybox source into $work"
apt-get source busybox >&2 2>&1
src="$(find . -maxdepth 1 -type d -name 'busybox-*' | head -n 1)"
cd "$src"
log "building $(basename "$src") with make defconfig (the official image's recipe), CONFIG_TC off"
make defconfig >/dev/null
sed -i 's/^CONFIG_TC=y/# CONFIG_TC is not set/' .config
make -j"$(nproc)" >/dev/null 2>&1 || { make 2>&1 | tail -n 30 >&2; exit 1; }
mkdir -p "$(dirname "$out")"
install -m 0755 busybox "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
