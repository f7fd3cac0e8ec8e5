#!/usr/bin/env bash
# Builds the lane's two out-of-tree modules against the fetched headers:
#   dmatest.ko   from the dmatest.c fetch.sh extracted from linux-source (never committed)
#   dmae_soft.ko from test/kernel/kmod (the soft dmaengine provider)
# Build trees live in the cache (the checkout stays clean); make rebuilds only what changed.
# Usage: build-modules.sh <kver>   → prints the directory holding both .ko files.
source "$(dirname "$0")/lib.sh"
kver=${1:?kernel version}
D="$CACHE/$kver"
H="$D/root/usr/src/linux-headers-$kver"
[ -f "$H/Makefile" ] || die "headers for $kver are not unpacked (run fetch.sh)"

sync_dir() { # copy sources only when they differ, so make's timestamps stay meaningful
  local from=$1 to=$2 f
  mkdir -p "$to"
  for f in "$from"/*; do cmp -s "$f" "$to/$(basename "$f")" || cp "$f" "$to/"; done
}

kbuild() {
  make -s -C "$H" M="$1" CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$1/build.log" 2>&1 \
    || { cat "$1/build.log" >&2; die "module build failed in $1"; }
}

sync_dir "$REPO_ROOT/test/kernel/kmod" "$D/kmod"
kbuild "$D/kmod"
[ -f "$D/dmatest/Kbuild" ] || echo 'obj-m := dmatest.o' > "$D/dmatest/Kbuild"
kbuild "$D/dmatest"

mkdir -p "$D/modules"
cp "$D/kmod/dmae_soft.ko" "$D/dmatest/dmatest.ko" "$D/modules/"
echo "$D/modules"
