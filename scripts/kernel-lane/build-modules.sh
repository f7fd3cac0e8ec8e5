#!/usr/bin/env bash
# Builds the lane's out-of-tree modules against the fetched headers:
#   dmatest.ko          from the dmatest.c fetch.sh extracted from linux-source (never committed)
#   dmae_soft.ko        from test/kernel/kmod (the soft dmaengine provider)
#   dmaengine_bridge.ko from native/kmod (the dmaengine bridge, docs/kernel-bridge.md)
#   dmabridge_test      the bridge's guest test program (test/kernel/bridge + native/bridge),
#                       a host binary: the guest chroots into the host's root
# Build trees live in the cache (the checkout stays clean); make rebuilds only what changed.
# Usage: build-modules.sh <kver> [--bridge-only]  → prints the directory holding the .ko files.
# --bridge-only (the 6.1 control kernel): the bridge and its test program, nothing else.
source "$(dirname "$0")/lib.sh"
kver=${1:?kernel version}
D="$CACHE/$kver"
H="$D/root/usr/src/linux-headers-$kver"
[ -f "$H/Makefile" ] || die "headers for $kver are not unpacked (run fetch.sh)"
# The headers' Makefile includes the -common tree by absolute path: repoint it here when the
# cache was unpacked (or copied) somewhere else.
grep -q "^include $D/root/usr/src/" "$H/Makefile" \
  || sed -i "s#^include .*/usr/src/#include $D/root/usr/src/#" "$H/Makefile"

sync_dir() { # copy sources only when they differ, so make's timestamps stay meaningful
  local from=$1 to=$2 f
  mkdir -p "$to"
  for f in "$from"/*; do
    if [ -d "$f" ]; then sync_dir "$f" "$to/$(basename "$f")"
    else cmp -s "$f" "$to/$(basename "$f")" || cp "$f" "$to/"; fi
  done
}

kbuild() {
  make -s -C "$H" M="$1" CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$1/build.log" 2>&1 \
    || { cat "$1/build.log" >&2; die "module build failed in $1"; }
}

only=${2:-}
mkdir -p "$D/modules"
if [ "$only" != --bridge-only ]; then
  sync_dir "$REPO_ROOT/test/kernel/kmod" "$D/kmod"
  kbuild "$D/kmod"
  cp "$D/kmod/dmae_soft.ko" "$D/modules/"
fi
sync_dir "$REPO_ROOT/native/kmod" "$D/bridge"
kbuild "$D/bridge"
cp "$D/bridge/dmaengine_bridge.ko" "$D/modules/"
src=("$REPO_ROOT"/test/kernel/bridge/*.cc "$REPO_ROOT/native/bridge/bridge.cc")
if [ ! -x "$D/modules/dmabridge_test" ] || [ -n "$(find "${src[@]}" "$REPO_ROOT/native/bridge" \
     "$REPO_ROOT/test/kernel/bridge" "$REPO_ROOT/native/kmod/uapi" -newer "$D/modules/dmabridge_test")" ]; then
  ${CXX:-g++} -std=c++17 -O2 -Wall -Wextra -Werror -o "$D/modules/dmabridge_test" "${src[@]}" \
    || die "dmabridge_test build failed"
fi
if [ "$only" != --bridge-only ]; then
  [ -f "$D/dmatest/Kbuild" ] || echo 'obj-m := dmatest.o' > "$D/dmatest/Kbuild"
  kbuild "$D/dmatest"
  cp "$D/dmatest/dmatest.ko" "$D/modules/"
fi
echo "$D/modules"
