#!/bin/busybox sh
# PID 1 of the lane's guest. Mounts the basics, loads the 9p modules, the soft dmaengine
# module and the dmaengine bridge, mounts the host's / read-only over 9p, chroots into it (so
# the host's node, the checkout and its build are all there at the same paths) and runs the
# command in /lane.env. Prints "KERNEL-LANE-EXIT: <status>" and powers off; the host reads the marker.
/bin/busybox mkdir -p /proc /sys /dev /tmp /host
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
. /lane.env

status=1
run() {
  for m in $(cat /lib/mods/order); do
    insmod "/lib/mods/$m.ko" || { echo "lane: insmod $m failed"; return 1; }
  done
  mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose hostroot /host \
    || { echo "lane: 9p mount failed"; return 1; }
  mount -t proc proc /host/proc
  mount -t sysfs sysfs /host/sys
  mount -o bind /dev /host/dev
  # A writable /tmp for the tests. A checkout that itself lives under /tmp (a CI clone) would
  # be hidden by it: keep it reachable by binding it back at the same path on top.
  case "$LANE_REPO" in
    /tmp/*)
      mkdir -p /repo
      mount -o bind "/host$LANE_REPO" /repo
      mount -t tmpfs -o mode=1777 tmpfs /host/tmp
      mkdir -p "/host$LANE_REPO"
      mount -o bind /repo "/host$LANE_REPO"
      ;;
    *)
      mount -t tmpfs -o mode=1777 tmpfs /host/tmp
      ;;
  esac
  mount -t debugfs debugfs /host/sys/kernel/debug 2>/dev/null
  if [ -f /lib/mods/dmae_soft.ko ]; then
    insmod /lib/mods/dmae_soft.ko $LANE_SOFT_PARAMS || { echo "lane: insmod dmae_soft failed"; return 1; }
  fi
  if [ -f /lib/mods/dmaengine_bridge.ko ]; then
    insmod /lib/mods/dmaengine_bridge.ko || { echo "lane: insmod dmaengine_bridge failed"; return 1; }
  fi
  chroot /host /bin/sh -c "cd '$LANE_REPO' && exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp \
    KERNEL_LANE=1 LANE_PROFILE='$LANE_PROFILE' LANE_KVER='$LANE_KVER' LANE_MODDIR='$LANE_MODDIR' LANE_BUSYBOX='$LANE_BUSYBOX' \
    LANE_SOFT_PARAMS='$LANE_SOFT_PARAMS' $LANE_CMD"
}
run
status=$?
if [ "$status" != 0 ]; then
  echo "lane: kernel log (dmae_soft, dmatest, warnings):"
  dmesg | grep -E 'dmae_soft|dmatest|dmaengine_bridge|BUG|WARNING|Oops|Call Trace' | tail -60
fi
echo "KERNEL-LANE-EXIT: $status"
sync
poweroff -f
