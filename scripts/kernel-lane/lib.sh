# Shared helpers for the kernel lane scripts (sourced, not run).
# Layout of the cache (gitignored, keyed by kernel version):
#   .cache/kernel-lane/apt/              private apt lists and archives (bookworm-backports only)
#   .cache/kernel-lane/kver              the kernel version chosen on the last refresh
#   .cache/kernel-lane/<kver>/debs/      the downloaded .deb files
#   .cache/kernel-lane/<kver>/root/      image, headers and kbuild unpacked with dpkg-deb -x
#   .cache/kernel-lane/<kver>/dmatest/   dmatest.c extracted from linux-source + its build
#   .cache/kernel-lane/<kver>/initramfs.cpio.gz, kmod/ (soft module build)
set -euo pipefail

LANE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LANE_DIR/../.." && pwd)"
CACHE="${KERNEL_LANE_CACHE:-$REPO_ROOT/.cache/kernel-lane}"
SUITE="${KERNEL_LANE_SUITE:-bookworm-backports}"

log() { printf '[kernel-lane] %s\n' "$*" >&2; }
die() { printf '[kernel-lane] error: %s\n' "$*" >&2; exit 1; }

# Run as root directly, or through sudo when available.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}
