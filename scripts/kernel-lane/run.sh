#!/usr/bin/env bash
# The kernel lane: `npm run test:kernel`.
#   1. host tools (deps.sh)        qemu-system-x86, busybox-static, cpio, xz-utils, bc, … if missing
#   2. the kernel (fetch.sh)       bookworm-backports 6.12 image/headers/kbuild/linux-source, cached
#   3. modules (build-modules.sh)  dmatest.ko and the soft dmaengine module, against those headers
#   4. initramfs (initramfs.sh)    busybox + init + 9p modules + the soft module
#   5. boot                        QEMU TCG, host / shared read-only over 9p, guest runs mocha on
#                                  test/kernel/*.test.ts in a chroot, prints KERNEL-LANE-EXIT: <rc>
# Exits with the guest's status; 1 if the marker never appears; 124 on the overall timeout.
# Environment: KERNEL_LANE_TIMEOUT (s, default 900), KERNEL_LANE_CMD (what the guest runs,
# default the kernel mocha suite), KERNEL_LANE_GREP (mocha --grep), KERNEL_LANE_REFRESH=1 (ask
# apt for a newer kernel), KERNEL_LANE_CACHE (cache dir), KERNEL_LANE_SOFT_PARAMS (dmae_soft
# module parameters), KERNEL_LANE_LOG (serial log file).
source "$(dirname "$0")/lib.sh"
t0=$(date +%s)
timeout_s=${KERNEL_LANE_TIMEOUT:-900}

bash "$LANE_DIR/deps.sh"
kver=$(bash "$LANE_DIR/fetch.sh")
log "kernel $kver"
moddir=$(bash "$LANE_DIR/build-modules.sh" "$kver")
base=$(bash "$LANE_DIR/initramfs.sh" "$kver")
D="$CACHE/$kver"

[ -f "$REPO_ROOT/build/Release/dmaengine.node" ] || die "the addon is not built: run npm install first"
bb=$(command -v busybox || echo /bin/busybox)
grep_arg=""
[ -n "${KERNEL_LANE_GREP:-}" ] && grep_arg="--grep '${KERNEL_LANE_GREP}'"
cmd=${KERNEL_LANE_CMD:-"node node_modules/mocha/bin/mocha.js --config test/kernel/.mocharc.json $grep_arg"}
soft=${KERNEL_LANE_SOFT_PARAMS:-"channels=4 max_xor=8 max_pq=8"}

# The per-run part of the initramfs (lane.env) is a second cpio appended to the cached one.
envdir=$(mktemp -d)
trap 'rm -rf "$envdir"' EXIT
q() { printf "%s" "$1" | sed "s/'/'\\\\''/g"; }
cat > "$envdir/lane.env" <<ENV
LANE_REPO='$(q "$REPO_ROOT")'
LANE_KVER='$(q "$kver")'
LANE_MODDIR='$(q "$moddir")'
LANE_BUSYBOX='$(q "$bb")'
LANE_SOFT_PARAMS='$(q "$soft")'
LANE_CMD='$(q "$cmd")'
ENV
(cd "$envdir" && echo lane.env | cpio -o -H newc --quiet | gzip -1 > env.cpio.gz)
cat "$base" "$envdir/env.cpio.gz" > "$envdir/initrd.gz"

serial=${KERNEL_LANE_LOG:-"$D/serial.log"}
log "booting under QEMU (TCG); setup took $(( $(date +%s) - t0 ))s; serial log: $serial"
t1=$(date +%s)
set +e
timeout --foreground -k 10 "$timeout_s" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -smp 1 -m 2G \
  -display none -serial stdio -monitor none -no-reboot -net none \
  -kernel "$D/root/boot/vmlinuz-$kver" -initrd "$envdir/initrd.gz" \
  -append 'console=ttyS0 quiet loglevel=3 panic=-1' \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
  < /dev/null 2>&1 | tr -d '\r' | tee "$serial"
qrc=${PIPESTATUS[0]}
set -e
rc=$(sed -n 's/^KERNEL-LANE-EXIT: \([0-9]*\)$/\1/p' "$serial" | tail -1)
log "guest ran $(( $(date +%s) - t1 ))s, lane total $(( $(date +%s) - t0 ))s"
if [ -z "$rc" ]; then
  [ "$qrc" = 124 ] && { log "timed out after ${timeout_s}s without the exit marker"; exit 124; }
  log "the guest never printed its exit marker (qemu status $qrc)"; exit 1
fi
log "guest tests exited with $rc"
exit "$rc"
