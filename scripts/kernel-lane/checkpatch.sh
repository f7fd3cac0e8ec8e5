#!/usr/bin/env bash
# checkpatch.sh <kver>: the kernel's own style check over the bridge module (native/kmod, the
# UAPI header included), with scripts/checkpatch.pl taken out of the cached linux-source .deb
# (streamed: no source tree on disk). Fails on any error, warning or check (--strict).
source "$(dirname "$0")/lib.sh"
kver=$1
D="$CACHE/$kver"
C="$D/checkpatch"
if [ ! -f "$C/scripts/checkpatch.pl" ]; then
  log "extracting scripts/checkpatch.pl from linux-source"
  src=$(ls "$D/debs/linux-source-"*.deb)
  mkdir -p "$C.tmp"
  dpkg-deb --fsys-tarfile "$src" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' | xz -dc \
    | tar -x -C "$C.tmp" --strip-components=1 --wildcards '*/scripts/checkpatch.pl' \
        '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
  [ -s "$C.tmp/scripts/checkpatch.pl" ] || die "checkpatch.pl not found in linux-source"
  rm -rf "$C" && mv "$C.tmp" "$C"
fi
cd "$REPO_ROOT"
files=(native/kmod/*.c native/kmod/*.h native/kmod/uapi/*.h test/kernel/kmod/*.c)
if ! out=$(perl "$C/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f "${files[@]}" 2>&1); then
  printf '%s\n' "$out" | grep -v '^total:\|has no obvious style problems\|^$' >&2
  die "checkpatch --strict found problems in the kernel code (above)"
fi
log "checkpatch --strict: ${#files[@]} files clean"
