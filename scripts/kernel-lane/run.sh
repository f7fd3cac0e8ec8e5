#!/usr/bin/env bash
# The kernel lane: `npm run test:kernel`.
#   1. host tools (deps.sh)        qemu-system-x86, busybox-static, cpio, xz-utils, bc, … if missing
#   2. kernels (fetch.sh)          bookworm-backports 6.12 image/headers/kbuild/linux-source, and
#                                  bookworm's stock 6.1 image (the "feature missing" control); cached
#   3. modules (build-modules.sh)  dmatest.ko and the soft dmaengine module, against the 6.12 headers;
#      style (checkpatch.sh)       the kernel's checkpatch.pl --strict over native/kmod and dmae_soft
#   4. initramfs (initramfs.sh)    busybox + init + 9p modules (+ the soft module on 6.12)
#   5. boot, once per kernel       QEMU TCG, host / shared read-only over 9p; the guest runs mocha
#                                  on test/kernel/*.test.ts and test/30.dmabuf.* in a chroot (6.1:
#                                  test/kernel/50.kernel.feature-missing and test/30.dmabuf.*, then
#                                  the dmaengine bridge built for 6.1 probed), prints
#                                  KERNEL-LANE-EXIT: <rc>
# Exits with the first failing guest's status; 1 if a marker never appears; 124 on a timeout.
# Environment: KERNEL_LANE_KERNELS ("6.12 6.1"), KERNEL_LANE_TIMEOUT (s per boot, default 900),
# KERNEL_LANE_CMD (what the 6.12 guest runs instead of the mocha suite), KERNEL_LANE_GREP (mocha
# --grep on 6.12), KERNEL_LANE_REFRESH=1 (ask apt for newer kernels), KERNEL_LANE_CACHE,
# KERNEL_LANE_SOFT_PARAMS (dmae_soft parameters), KERNEL_LANE_LOG (serial log of the 6.12 boot),
# KERNEL_LANE_SMP (guest vCPUs, default 1).
source "$(dirname "$0")/lib.sh"
t0=$(date +%s)
timeout_s=${KERNEL_LANE_TIMEOUT:-900}
kernels=${KERNEL_LANE_KERNELS:-"6.12 6.1"}

bash "$LANE_DIR/deps.sh"
[ -f "$REPO_ROOT/build/Release/dmaengine.node" ] || die "the addon is not built: run npm install first"
bb=$(command -v busybox || echo /bin/busybox)
mocha="node node_modules/mocha/bin/mocha.js --config test/kernel/.mocharc.json"
soft=${KERNEL_LANE_SOFT_PARAMS:-"channels=4 max_xor=8 max_pq=8"}
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
q() { printf "%s" "$1" | sed "s/'/'\\\\''/g"; }

# boot <profile> <kver> <moddir> <command> <serial log>: one guest run; echoes nothing, returns rc.
boot() {
  local profile=$1 kver=$2 moddir=$3 cmd=$4 serial=$5 base D="$CACHE/$2" qrc rc t1
  base=$(bash "$LANE_DIR/initramfs.sh" "$kver")
  # The per-run part of the initramfs (lane.env) is a second cpio appended to the cached one.
  mkdir -p "$workdir/$profile"
  cat > "$workdir/$profile/lane.env" <<ENV
LANE_PROFILE='$(q "$profile")'
LANE_REPO='$(q "$REPO_ROOT")'
LANE_KVER='$(q "$kver")'
LANE_MODDIR='$(q "$moddir")'
LANE_BUSYBOX='$(q "$bb")'
LANE_SOFT_PARAMS='$(q "$soft")'
LANE_CMD='$(q "$cmd")'
ENV
  (cd "$workdir/$profile" && echo lane.env | cpio -o -H newc --quiet | gzip -1 > env.cpio.gz)
  cat "$base" "$workdir/$profile/env.cpio.gz" > "$workdir/$profile/initrd.gz"
  log "booting $kver under QEMU (TCG); serial log: $serial"
  t1=$(date +%s)
  set +e
  timeout --foreground -k 10 "$timeout_s" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -smp "${KERNEL_LANE_SMP:-1}" -m 2G \
    -display none -serial stdio -monitor none -no-reboot -net none \
    -kernel "$D/root/boot/vmlinuz-$kver" -initrd "$workdir/$profile/initrd.gz" \
    -append 'console=ttyS0 quiet loglevel=3 panic=-1' \
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
    < /dev/null 2>&1 | tr -d '\r' | tee "$serial" >&2
  qrc=${PIPESTATUS[0]}
  set -e
  rc=$(sed -n 's/^KERNEL-LANE-EXIT: \([0-9]*\)$/\1/p' "$serial" | tail -1)
  log "$kver guest ran $(( $(date +%s) - t1 ))s"
  if [ -z "$rc" ]; then
    [ "$qrc" = 124 ] && { log "$kver: timed out after ${timeout_s}s without the exit marker"; return 124; }
    log "$kver: the guest never printed its exit marker (qemu status $qrc)"; return 1
  fi
  log "$kver: guest tests exited with $rc"
  return "$rc"
}

status=0
for k in $kernels; do
  case "$k" in
    6.12)
      kver=$(bash "$LANE_DIR/fetch.sh" bookworm-backports)
      moddir=$(bash "$LANE_DIR/build-modules.sh" "$kver")
      bash "$LANE_DIR/checkpatch.sh" "$kver" || { status=1; break; }
      grep_arg=""
      [ -n "${KERNEL_LANE_GREP:-}" ] && grep_arg="--grep '${KERNEL_LANE_GREP}'"
      cmd=${KERNEL_LANE_CMD:-"$mocha $grep_arg"}
      boot full "$kver" "$moddir" "$cmd" "${KERNEL_LANE_LOG:-$CACHE/$kver/serial.log}" || status=$?
      ;;
    6.1)
      kver=$(bash "$LANE_DIR/fetch.sh" bookworm --headers)
      moddir=$(bash "$LANE_DIR/build-modules.sh" "$kver" --bridge-only)
      # The 6.1-style tests and the host dma-buf suite, whose "missing" paths are real here;
      # then the bridge, built for 6.1 and loaded by the init, answers (no DMA channels here).
      cmd="node node_modules/mocha/bin/mocha.js --no-config -r tsx/cjs --extension ts --timeout 180000"
      cmd="$cmd test/kernel/50.kernel.feature-missing.test.ts 'test/30.dmabuf.*.test.ts'"
      cmd="$cmd test/kernel/71.kernel.bridge-probe.test.ts"
      boot missing "$kver" "$moddir" "$cmd" "$CACHE/$kver/serial.log" || status=$?
      ;;
    *) die "unknown kernel \"$k\" in KERNEL_LANE_KERNELS (known: 6.12 6.1)" ;;
  esac
  [ "$status" = 0 ] || break
done
log "lane total $(( $(date +%s) - t0 ))s, status $status"
exit "$status"
