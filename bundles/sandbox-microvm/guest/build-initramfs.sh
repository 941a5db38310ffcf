#!/bin/bash
# Builds the CrustyClaw L3 microVM guest from the host's Debian kernel and
# busybox-static:
#   OUTDIR/vmlinux            uncompressed kernel (booting it under TCG saves ~3 s)
#   OUTDIR/initramfs.cpio.gz  busybox, /init, /sbin/cc-agent, virtio/9p/ext4 modules
#   OUTDIR/guest.properties   what was built (kernel release, protocol, names)
# Idempotent: the kernel is extracted again only when its source changed, the
# initramfs rebuilt only when an input changed (output is reproducible).
#
# Usage: build-initramfs.sh OUTDIR
# Environment: KVER (default: newest /boot/vmlinuz-*), BUSYBOX (default
# /bin/busybox, must be static), FORCE=1 to rebuild everything.
set -euo pipefail
export LC_ALL=C

OUT=${1:?usage: build-initramfs.sh OUTDIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}
FORCE=${FORCE:-0}
# Drivers the guest needs, by group (see init); built-in ones are skipped.
MODULE_GROUPS="core:virtio_mmio serial:virtio_console pci:virtio_pci 9p:9pnet_virtio 9p:9p
    blk:virtio_blk blk:crc32c_generic blk:ext4"

say() { echo "build-initramfs: $*"; }
die() { echo "build-initramfs: ERROR: $*" >&2; exit 1; }

if [ -z "${KVER:-}" ]; then
    KIMG=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$KIMG" ] || die "no /boot/vmlinuz-* (install linux-image-amd64)"
    KVER=${KIMG#/boot/vmlinuz-}
else
    KIMG=/boot/vmlinuz-$KVER
fi
[ -r "$KIMG" ] || die "cannot read $KIMG"
MODDIR=/lib/modules/$KVER
[ -d "$MODDIR" ] || die "no $MODDIR"
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (install busybox-static)"
if command -v readelf >/dev/null && readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'INTERP'; then
    die "$BUSYBOX is dynamically linked (install busybox-static)"
fi
mkdir -p "$OUT"

# ---------------------------------------------------------------- vmlinux
# Same approach as the kernel's scripts/extract-vmlinux: find the magic of
# each compression format in the bzImage, decompress from there, keep the
# first result that is an ELF file.
is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }

try_decompress() { # $1=magic (grep -P syntax) $2=decompressor...
    local magic=$1; shift
    command -v "$1" >/dev/null || return 1
    local off
    for off in $(grep -obUaP "$magic" "$KIMG" 2>/dev/null | cut -d: -f1); do
        tail -c +$((off + 1)) "$KIMG" | "$@" > "$TMPK" 2>/dev/null || true
        if is_elf "$TMPK"; then return 0; fi
    done
    return 1
}

extract_vmlinux() {
    if is_elf "$KIMG"; then cp "$KIMG" "$TMPK"; return 0; fi
    try_decompress '\xFD7zXZ\x00' xz -dc --single-stream && return 0
    try_decompress '\x28\xb5\x2f\xfd' zstd -dc && return 0
    try_decompress '\x1f\x8b\x08' gzip -dc && return 0
    try_decompress '\x5d\x00\x00\x00' xz -dc --format=lzma && return 0
    try_decompress 'BZh' bzip2 -dc && return 0
    try_decompress '\x89\x4c\x5a' lzop -dc && return 0
    try_decompress '\x02\x21\x4c\x18' lz4 -dc && return 0
    return 1
}

KSTAMP="$KIMG $(stat -c '%s %Y' "$KIMG")"
if [ "$FORCE" != 1 ] && [ -f "$OUT/vmlinux" ] && [ "$(cat "$OUT/vmlinux.source" 2>/dev/null)" = "$KSTAMP" ]; then
    say "vmlinux up to date ($KVER)"
else
    TMPK=$(mktemp "$OUT/.vmlinux.XXXXXX")
    trap 'rm -f "$TMPK"' EXIT
    extract_vmlinux || die "could not extract an ELF kernel from $KIMG"
    chmod 644 "$TMPK"
    mv -f "$TMPK" "$OUT/vmlinux"
    trap - EXIT
    echo "$KSTAMP" > "$OUT/vmlinux.source"
    say "vmlinux extracted from $KIMG ($(stat -c %s "$OUT/vmlinux") bytes)"
fi

# ---------------------------------------------------------------- modules
# Resolve the modules of MODULE_GROUPS and their dependencies (modules.dep)
# in load order; a dependency is loaded with the first group needing it.
declare -A SEEN=()
ORDER=()        # "group relative/path.ko"
modpath() { # name -> path relative to MODDIR ('' if unknown)
    local n=${1//-/_} line p b
    while IFS= read -r line; do
        p=${line%%:*}
        b=${p##*/}; b=${b%%.ko*}; b=${b//-/_}
        if [ "$b" = "$n" ]; then echo "$p"; return 0; fi
    done < "$MODDIR/modules.dep"
    return 0
}
add_module() { # group relative-path
    local g=$1 p=$2 deps d
    [ -z "${SEEN[$p]:-}" ] || return 0
    SEEN[$p]=1
    deps=$(grep -m1 "^$p:" "$MODDIR/modules.dep" | cut -d: -f2-)
    for d in $deps; do add_module "$g" "$d"; done
    ORDER+=("$g $p")
}
for gm in $MODULE_GROUPS; do
    g=${gm%%:*}; m=${gm#*:}
    if grep -qE "/${m//_/[-_]}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then
        continue
    fi
    p=$(modpath "$m")
    if [ -z "$p" ]; then
        echo "build-initramfs: warning: module $m neither built in nor found" >&2
        continue
    fi
    add_module "$g" "$p"
done

# ---------------------------------------------------------------- initramfs
# Fingerprint of every input: rebuild only when one of them changed.
FP=$( {
    echo "kver=$KVER modules=${ORDER[*]:-}"
    sha256sum "$BUSYBOX" "$HERE/init" "$HERE/cc-agent" "$HERE/build-initramfs.sh"
    for gp in "${ORDER[@]}"; do sha256sum "$MODDIR/${gp#* }"; done
} | sha256sum | cut -d' ' -f1)
if [ "$FORCE" != 1 ] && [ -f "$OUT/initramfs.cpio.gz" ] && [ "$(cat "$OUT/initramfs.fingerprint" 2>/dev/null)" = "$FP" ]; then
    say "initramfs up to date"
else
    STAGE=$(mktemp -d)
    trap 'rm -rf "$STAGE"' EXIT
    R=$STAGE/root
    mkdir -p "$R"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,lib/cc-modules,usr/bin,usr/sbin,mnt}
    chmod 1777 "$R/tmp"; chmod 700 "$R/root"
    # The kernel opens /dev/console for init before devtmpfs is mounted.
    if [ "$(id -u)" = 0 ]; then mknod -m 600 "$R/dev/console" c 5 1; fi
    cp "$BUSYBOX" "$R/bin/busybox"; chmod 755 "$R/bin/busybox"
    for a in $("$R/bin/busybox" --list); do
        [ "$a" = busybox ] || ln -s busybox "$R/bin/$a"
    done
    ln -s ../bin/busybox "$R/sbin/init"
    install -m 755 "$HERE/init" "$R/init"
    install -m 755 "$HERE/cc-agent" "$R/sbin/cc-agent"
    cat > "$R/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
sandbox:x:1000:1000:sandbox:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
    cat > "$R/etc/group" <<'GR'
root:x:0:
tty:x:5:
sandbox:x:1000:
nogroup:x:65534:
GR
    printf '/bin/sh\n' > "$R/etc/shells"
    printf 'sandbox\n' > "$R/etc/hostname"
    : > "$R/etc/cc-modules"
    for gp in "${ORDER[@]}"; do
        g=${gp%% *}; p=${gp#* }
        b=${p##*/}
        case "$b" in
            *.ko.xz)  xz -dc "$MODDIR/$p" > "$R/lib/cc-modules/${b%.xz}"; b=${b%.xz} ;;
            *.ko.zst) zstd -qdc "$MODDIR/$p" > "$R/lib/cc-modules/${b%.zst}"; b=${b%.zst} ;;
            *.ko.gz)  gzip -dc "$MODDIR/$p" > "$R/lib/cc-modules/${b%.gz}"; b=${b%.gz} ;;
            *)        cp "$MODDIR/$p" "$R/lib/cc-modules/$b" ;;
        esac
        echo "$g $b" >> "$R/etc/cc-modules"
    done
    find "$R" -exec touch -h -d @0 {} +
    TMPI=$(mktemp "$OUT/.initramfs.XXXXXX")
    (cd "$R" && find . -print0 | sort -z | cpio --null -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n > "$TMPI"
    chmod 644 "$TMPI"
    mv -f "$TMPI" "$OUT/initramfs.cpio.gz"
    echo "$FP" > "$OUT/initramfs.fingerprint"
    say "initramfs built ($(stat -c %s "$OUT/initramfs.cpio.gz") bytes, modules: $(cut -d' ' -f2 "$R/etc/cc-modules" | tr '\n' ' '))"
    rm -rf "$STAGE"; trap - EXIT
fi

cat > "$OUT/guest.properties.tmp" <<PROPS
# Written by build-initramfs.sh
kernel.release=$KVER
kernel.source=$KIMG
kernel=vmlinux
initramfs=initramfs.cpio.gz
protocol.version=1
agent.port=org.crustyclaw.agent
workspace.tag=workspace
run.user=sandbox
run.uid=1000
modules=$(for gp in "${ORDER[@]}"; do b=${gp##*/}; printf '%s:%s ' "${gp%% *}" "${b%%.ko*}"; done)
PROPS
mv -f "$OUT/guest.properties.tmp" "$OUT/guest.properties"
