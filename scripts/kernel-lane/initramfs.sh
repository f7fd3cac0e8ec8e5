#!/usr/bin/env bash
# Builds the guest's initramfs: busybox-static, the init script, the 9p modules (decompressed:
# busybox insmod cannot read .ko.xz; no modules.dep, so ordered by each module's depends=),
# the soft dmaengine module and the dmaengine bridge. Node and the checkout come from the host over 9p.
# Usage: initramfs.sh <kver>   → prints the path of initramfs.cpio.gz
source "$(dirname "$0")/lib.sh"
kver=${1:?kernel version}
D="$CACHE/$kver"
MODROOT="$D/root/lib/modules/$kver/kernel"
BB=$(command -v busybox || echo /bin/busybox)
[ -x "$BB" ] && { ldd "$BB" 2>&1 || true; } | grep -q 'not a dynamic' \
  || die "a static busybox is needed (apt-get install busybox-static; scripts/kernel-lane/deps.sh does it)"

out="$D/initramfs.cpio.gz"
stage="$D/initramfs"
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,host,lib/mods}
cp "$BB" "$stage/bin/busybox"
cp "$LANE_DIR/guest-init.sh" "$stage/init"
chmod +x "$stage/init" "$stage/bin/busybox"

# depends= of a module file (.ko or .ko.xz), as a space-separated list.
depends_of() {
  case "$1" in
    *.xz) xz -dc "$1" ;;
    *.zst) zstd -dcq "$1" ;;
    *) cat "$1" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -1 | tr ',' ' '
}
find_mod() { find "$MODROOT" -name "$1.ko*" -print -quit; }

order=()
visit() { # depth-first: dependencies first, each module once
  local m=$1 f d
  case " ${order[*]:-} " in *" $m "*) return ;; esac
  f=$(find_mod "$m"); [ -n "$f" ] || f=$(find_mod "${m//_/-}")
  [ -n "$f" ] || die "module $m not found under $MODROOT"
  for d in $(depends_of "$f"); do visit "$d"; done
  case "$f" in
    *.xz) xz -dc "$f" > "$stage/lib/mods/$m.ko" ;;
    *.zst) zstd -dcq "$f" > "$stage/lib/mods/$m.ko" ;;
    *) cp "$f" "$stage/lib/mods/$m.ko" ;;
  esac
  order+=("$m")
}
# virtio_pci is built in on 6.12 but a module on 6.1: load it only where it is a module.
builtin="$D/root/lib/modules/$kver/modules.builtin"
for m in virtio_pci 9pnet_virtio 9p; do
  grep -q "/$m.ko\$" "$builtin" 2>/dev/null && continue
  visit "$m"
done
printf '%s\n' "${order[@]}" > "$stage/lib/mods/order"
# The soft module and the bridge exist only for kernels the lane builds modules for.
for m in dmae_soft dmaengine_bridge; do
  [ -f "$D/modules/$m.ko" ] && cp "$D/modules/$m.ko" "$stage/lib/mods/"
done

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
