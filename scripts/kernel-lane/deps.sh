#!/usr/bin/env bash
# Installs the host tools the lane needs from Debian's own packages, only if missing.
source "$(dirname "$0")/lib.sh"

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod && { ldd /bin/busybox 2>&1 || true; } | grep -q 'not a dynamic' \
  || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
command -v bc >/dev/null || need+=(bc)
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v make >/dev/null || need+=(make)
command -v gcc >/dev/null || need+=(gcc)
command -v zstd >/dev/null || need+=(zstd)
if [ ${#need[@]} -eq 0 ]; then log "host tools present"; exit 0; fi
log "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
  as_root apt-get update >/dev/null
  as_root apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
}
