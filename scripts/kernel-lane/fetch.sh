#!/usr/bin/env bash
# Fetches a lane kernel without installing it: a private apt configuration over the machine's
# own Debian mirror (read from its apt sources, never written here) with only one suite;
# `apt-get download`, `dpkg-deb -x` into the cache. Prints the kernel version on stdout.
#   fetch.sh [bookworm-backports]  the 6.12 lane kernel: image, headers, headers-common, kbuild,
#                                  and dmatest.c streamed out of linux-source-6.12
#   fetch.sh bookworm --image-only the stock 6.1 kernel (no udmabuf, no heaps): image only
#   fetch.sh bookworm --headers    the same plus its headers and kbuild (16 MB), to build the
#                                  dmaengine bridge for it
# Cached: a second run with the version already unpacked downloads nothing
# (KERNEL_LANE_REFRESH=1 asks apt again for the newest version).
source "$(dirname "$0")/lib.sh"

# The first mirror that serves the machine's main Debian suite (not -security, not -updates),
# or KERNEL_LANE_MIRROR when the machine's sources are not Debian's.
mirror_uri() {
  local f uri
  [ -n "${KERNEL_LANE_MIRROR:-}" ] && { echo "$KERNEL_LANE_MIRROR"; return; }
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: stanzas separated by blank lines; take URIs of a stanza whose Suites lists a
    # plain codename (no dash) and whose Types include deb.
    uri=$(awk 'BEGIN{RS=""; FS="\n"}
      { u=""; s=""; t="";
        for (i=1;i<=NF;i++) { if ($i ~ /^URIs:/) u=$i; if ($i ~ /^Suites:/) s=$i; if ($i ~ /^Types:/) t=$i }
        if (t ~ /(^|[ :])deb( |$)/ && u != "") { n=split(s, a, /[ \t]+/);
          for (j=2;j<=n;j++) if (a[j] !~ /-/) { split(u, b, /[ \t]+/); print b[2]; exit } } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i+1) !~ /-/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  die "no Debian mirror found in /etc/apt/sources.list(.d): cannot fetch the lane kernel"
}

SUITE=${1:-$SUITE}
IMAGE_ONLY=""; HEADERS_ONLY=""
[ "${2:-}" = --image-only ] && IMAGE_ONLY=1
[ "${2:-}" = --headers ] && HEADERS_ONLY=1
APT="$CACHE/apt-$SUITE"
apt_opts=(-o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=$APT/parts"
  -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "Dir::State::status=$APT/status"
  -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1" -q)

mkdir -p "$CACHE"
kver=""
[ -f "$CACHE/kver-$SUITE" ] && kver=$(cat "$CACHE/kver-$SUITE")
if [ -n "$kver" ] && [ -z "${KERNEL_LANE_REFRESH:-}" ] && [ -f "$CACHE/$kver/.unpacked" ] \
   && { [ -n "$IMAGE_ONLY" ] || [ -f "$CACHE/$kver/dmatest/dmatest.c" ] \
        || { [ -n "$HEADERS_ONLY" ] && [ -f "$CACHE/$kver/.headers" ]; }; }; then
  echo "$kver"; exit 0
fi

mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts"
: > "$APT/status"
uri=$(mirror_uri)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opt=""; [ -f "$keyring" ] && opt="[signed-by=$keyring] "
echo "deb ${opt}${uri} ${SUITE} main" > "$APT/sources.list"
log "apt update ($SUITE from the machine's mirror)"
apt-get "${apt_opts[@]}" update >/dev/null

# The newest 6.12 amd64 image in the suite: linux-image-amd64 there depends on it.
img=$(apt-cache "${apt_opts[@]}" depends linux-image-amd64 2>/dev/null \
  | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$img" ] || die "no linux-image in $SUITE"
kver=${img#linux-image-}
kver=${kver%-unsigned}
series=$(echo "$kver" | cut -d. -f1,2)
if [ -n "$IMAGE_ONLY" ]; then
  pkgs=("linux-image-$kver")
elif [ -n "$HEADERS_ONLY" ]; then
  deps=$(apt-cache "${apt_opts[@]}" depends "linux-headers-$kver" 2>/dev/null \
    | awk '/Depends: linux-(headers|kbuild)-/ {print $2}' | sort -u)
  pkgs=("linux-image-$kver" "linux-headers-$kver" $deps)
else
  case "$kver" in 6.12.*) ;; *) log "warning: $SUITE offers $kver, the lane was measured on 6.12" ;; esac
  # headers-<kver> depends on headers-<x>-common and kbuild-<x>: take their exact names from apt.
  deps=$(apt-cache "${apt_opts[@]}" depends "linux-headers-$kver" 2>/dev/null \
    | awk '/Depends: linux-(headers|kbuild)-/ {print $2}' | sort -u)
  pkgs=("linux-image-$kver" "linux-headers-$kver" $deps "linux-source-$series")
fi

D="$CACHE/$kver"
mkdir -p "$D/debs"
missing=()
for p in "${pkgs[@]}"; do ls "$D/debs/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "downloading ${missing[*]}"
  (cd "$D/debs" && apt-get "${apt_opts[@]}" download "${missing[@]}" >/dev/null)
fi

# Headers asked for where only the image was unpacked: unpack again with them.
[ -n "$HEADERS_ONLY" ] && [ ! -f "$D/.headers" ] && rm -f "$D/.unpacked"
if [ ! -f "$D/.unpacked" ]; then
  rm -rf "$D/root"; mkdir -p "$D/root"
  for p in "${pkgs[@]}"; do
    case "$p" in linux-source-*) continue ;; esac
    dpkg-deb -x "$D/debs/${p}_"*.deb "$D/root"
  done
  # The headers' Makefile includes the -common tree by its installed absolute path: repoint it.
  mk="$D/root/usr/src/linux-headers-$kver/Makefile"
  [ -f "$mk" ] && sed -i "s#^include /usr/src/#include $D/root/usr/src/#" "$mk"
  touch "$D/.unpacked"
  [ -n "$HEADERS_ONLY" ] && touch "$D/.headers"
fi

if [ -z "$IMAGE_ONLY" ] && [ -z "$HEADERS_ONLY" ] && [ ! -f "$D/dmatest/dmatest.c" ]; then
  # Only drivers/dma/dmatest.c is taken out of linux-source, streamed: no source tree on disk.
  log "extracting drivers/dma/dmatest.c from linux-source-$series"
  mkdir -p "$D/dmatest"
  src=$(ls "$D/debs/linux-source-${series}_"*.deb)
  dpkg-deb --fsys-tarfile "$src" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' \
    | xz -dc | tar -x -O --wildcards '*/drivers/dma/dmatest.c' > "$D/dmatest/dmatest.c.tmp"
  [ -s "$D/dmatest/dmatest.c.tmp" ] || die "dmatest.c not found in linux-source-$series"
  mv "$D/dmatest/dmatest.c.tmp" "$D/dmatest/dmatest.c"
fi
echo "$kver" > "$CACHE/kver-$SUITE"
echo "$kver"
