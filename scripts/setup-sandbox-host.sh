#!/bin/bash
# Prepares a CI / developer host (Debian 12, as root) for the CrustyClaw
# sandbox tests: packages, Docker with the gVisor runtime, the local base
# image and the build image (JDK, git), the L3 microVM assets and the cgroup v1 controllers bwrap needs.
# Idempotent: a second run only checks, and takes a few seconds.
#
# Environment:
#   CC_MICROVM_DIR      microVM assets (default /var/lib/crustyclaw/microvm)
#   CC_BASE_IMAGE       base image name (default crustyclaw/base:local)
#   CC_CHECK_MICROVM=1  boot the microVM once even if its assets did not change
#   CC_SKIP_DOCKER=1    skip the Docker / gVisor steps
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MICROVM_DIR=${CC_MICROVM_DIR:-/var/lib/crustyclaw/microvm}
BASE_IMAGE=${CC_BASE_IMAGE:-crustyclaw/base:local}
PACKAGES="docker.io runsc bubblewrap busybox-static qemu-system-x86 linux-image-amd64 cpio xz-utils gzip e2fsprogs"

step() { printf '[setup-sandbox-host] %-10s %s\n' "$1" "$2"; }
die() { printf '[setup-sandbox-host] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"

# ------------------------------------------------------------------ packages
missing=()
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    step packages "all present"
else
    step packages "installing: ${missing[*]}"
    apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    apt-get "${apt_opts[@]}" update -qq >/tmp/setup-sandbox-apt.log 2>&1 \
        || { tail -20 /tmp/setup-sandbox-apt.log >&2; die "apt-get update failed"; }
    apt-get "${apt_opts[@]}" install -y -qq "${missing[@]}" >>/tmp/setup-sandbox-apt.log 2>&1 \
        || { tail -20 /tmp/setup-sandbox-apt.log >&2; die "apt-get install failed (log /tmp/setup-sandbox-apt.log)"; }
    step packages "installed (log /tmp/setup-sandbox-apt.log)"
fi

# ------------------------------------------------------------------ cgroups
# bwrap has no limits of its own: the runtime puts it in groups it makes under
# /sys/fs/cgroup/memory/<group> and /sys/fs/cgroup/pids/<group> (cgroup v1),
# or under the unified hierarchy (cgroup v2).
cgroup_setup() {
    local fstype c where
    fstype=$(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo none)
    if [ "$fstype" = cgroup2fs ]; then
        # v2: make memory and pids available to child groups of the root.
        for c in memory pids; do
            if ! grep -qw "$c" /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
                echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null \
                    || step cgroups "warning: could not enable $c in cgroup.subtree_control"
            fi
        done
        step cgroups "v2 unified: subtree_control = $(cat /sys/fs/cgroup/cgroup.subtree_control)"
        return
    fi
    if [ "$fstype" = none ] || ! mountpoint -q /sys/fs/cgroup; then
        mkdir -p /sys/fs/cgroup
        mount -t tmpfs -o mode=755,nosuid,nodev,noexec cgroup_root /sys/fs/cgroup
        fstype="tmpfs mounted"
    fi
    local found=()
    for c in memory pids; do
        grep -qE "^$c[[:space:]].*1$" /proc/cgroups || die "cgroup controller $c not enabled in the kernel"
        # Where is this controller mounted already (maybe co-mounted)?
        where=$(awk -v c="$c" '{
                for (i = 7; i < NF && $i != "-"; i++) ;
                if ($(i + 1) != "cgroup") next
                n = split($(i + 3), o, ",")
                for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit }
            }' /proc/self/mountinfo)
        if [ -z "$where" ]; then
            mkdir -p "/sys/fs/cgroup/$c"
            mount -t cgroup -o "$c,nosuid,nodev,noexec" cgroup "/sys/fs/cgroup/$c"
            found+=("$c:mounted")
        elif [ "$where" != "/sys/fs/cgroup/$c" ]; then
            [ -e "/sys/fs/cgroup/$c" ] || ln -s "$(basename "$where")" "/sys/fs/cgroup/$c"
            found+=("$c:at-$where")
        else
            found+=("$c:present")
        fi
    done
    step cgroups "v1 ($fstype): ${found[*]}"
}
cgroup_setup

# A cold bwrap run joins fresh cgroups before it starts; without favordynmods the
# kernel makes the first write to cgroup.procs wait for an RCU grace period (about
# 10 ms here). Mounting any hierarchy with favordynmods switches the kernel to the
# fast path until reboot, at a small cost to fork and exit (see docs/performance.md).
favor_dynmods() {
    local t
    if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
        if mount -o remount,favordynmods /sys/fs/cgroup 2>/dev/null; then
            step cgroups "favordynmods on (v2 remount)"
            return
        fi
    else
        t=$(mktemp -d)
        if mount -t cgroup -o none,name=crustyclaw-favordynmods,favordynmods cgroup "$t" 2>/dev/null; then
            umount "$t"
            rmdir "$t"
            step cgroups "favordynmods on (until reboot)"
            return
        fi
        rmdir "$t"
    fi
    step cgroups "favordynmods not supported here: cold bwrap runs wait ~10 ms to join their cgroups"
}
favor_dynmods

# ------------------------------------------------------------------ docker
if [ "${CC_SKIP_DOCKER:-0}" = 1 ]; then
    step docker "skipped (CC_SKIP_DOCKER=1)"
else
    RUNSC=$(command -v runsc || echo /usr/bin/runsc)
    mkdir -p /etc/docker
    DJ=/etc/docker/daemon.json
    changed=0
    if [ ! -s "$DJ" ]; then
        printf '{\n  "runtimes": {\n    "runsc": {\n      "path": "%s",\n      "runtimeArgs": ["--network=none"]\n    }\n  }\n}\n' "$RUNSC" > "$DJ"
        changed=1
    elif command -v python3 >/dev/null; then
        # Merge: keep every other setting, make runtimes.runsc point at runsc
        # and carry --network=none (other runtimeArgs are kept).
        rc=0
        python3 - "$DJ" "$RUNSC" <<'PY' || rc=$?
import json, os, sys
path, runsc = sys.argv[1], sys.argv[2]
with open(path) as f:
    cfg = json.load(f)
before = json.dumps(cfg, sort_keys=True)
rt = cfg.setdefault("runtimes", {}).setdefault("runsc", {})
rt["path"] = rt.get("path") or runsc
args = rt.setdefault("runtimeArgs", [])
args[:] = [a for a in args if not a.startswith("--network")] + ["--network=none"]
if json.dumps(cfg, sort_keys=True) == before:
    sys.exit(0)
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(cfg, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
sys.exit(3)
PY
        case $rc in 0) ;; 3) changed=1 ;; *) die "could not merge $DJ (invalid JSON?)" ;; esac
    elif command -v jq >/dev/null; then
        new=$(jq --arg p "$RUNSC" '.runtimes.runsc.path = (.runtimes.runsc.path // $p)
            | .runtimes.runsc.runtimeArgs = ([(.runtimes.runsc.runtimeArgs // [])[] | select(startswith("--network") | not)] + ["--network=none"])' "$DJ") \
            || die "could not merge $DJ (invalid JSON?)"
        if [ "$(jq -S . "$DJ")" != "$(echo "$new" | jq -S .)" ]; then
            echo "$new" > "$DJ.tmp" && mv "$DJ.tmp" "$DJ"; changed=1
        fi
    else
        die "$DJ exists and neither python3 nor jq is there to merge it"
    fi
    if [ $changed = 1 ]; then step daemon.json "runsc runtime registered in $DJ"; else step daemon.json "up to date"; fi

    if docker info >/dev/null 2>&1; then
        if [ $changed = 1 ]; then
            # runtimes are reloadable: SIGHUP makes dockerd re-read daemon.json
            pkill -HUP -x dockerd || true
            sleep 1
            step dockerd "running, configuration reloaded"
        else
            step dockerd "running"
        fi
    else
        setsid dockerd > /tmp/dockerd.log 2>&1 < /dev/null &
        for i in $(seq 1 60); do
            docker info >/dev/null 2>&1 && break
            sleep 1
        done
        docker info >/dev/null 2>&1 || { tail -20 /tmp/dockerd.log >&2; die "dockerd did not come up in 60 s (log /tmp/dockerd.log)"; }
        step dockerd "started (log /tmp/dockerd.log)"
    fi
    docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"' \
        || die "dockerd does not list the runsc runtime (see $DJ, /tmp/dockerd.log)"

    # Base image from busybox-static, no registry involved.
    if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        step image "$BASE_IMAGE present"
    else
        rootfs=$(mktemp -d)
        trap 'rm -rf "$rootfs"' EXIT
        mkdir -p "$rootfs"/{bin,etc,tmp,root,home/sandbox,workspace,proc,sys,dev,usr}
        chmod 1777 "$rootfs/tmp"; chmod 700 "$rootfs/root"
        cp /bin/busybox "$rootfs/bin/busybox"
        for a in $(/bin/busybox --list); do
            [ "$a" = busybox ] || ln -s busybox "$rootfs/bin/$a"
        done
        ln -s bin "$rootfs/sbin"; ln -s ../bin "$rootfs/usr/bin"; ln -s ../bin "$rootfs/usr/sbin"
        cat > "$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
sandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
        cat > "$rootfs/etc/group" <<'EOF'
root:x:0:
sandbox:x:1000:
nogroup:x:65534:
EOF
        chown 1000:1000 "$rootfs/home/sandbox" "$rootfs/workspace"
        tar -C "$rootfs" --numeric-owner -c . | docker import \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["/bin/sh"]' - "$BASE_IMAGE" >/dev/null
        rm -rf "$rootfs"; trap - EXIT
        step image "$BASE_IMAGE imported"
    fi
    for rt in runc runsc; do
        out=$(timeout 120 docker run --rm --runtime="$rt" "$BASE_IMAGE" /bin/sh -c 'echo ok' 2>&1) \
            || die "docker run --runtime=$rt failed: $out"
        [ "$out" = ok ] || die "docker run --runtime=$rt printed: $out"
        step "run/$rt" "ok"
    done
    # The richer image for builds (JDK, git), made the same way from the host's files.
    bash "$HERE/build-image-build.sh"
fi

# ------------------------------------------------------------------ microVM
BUILD="$REPO/bundles/sandbox-microvm/guest/build-initramfs.sh"
[ -x "$BUILD" ] || die "missing $BUILD"
mkdir -p "$MICROVM_DIR"
before=$(cat "$MICROVM_DIR/vmlinux.source" "$MICROVM_DIR/initramfs.fingerprint" 2>/dev/null || true)
"$BUILD" "$MICROVM_DIR" | sed 's/^build-initramfs: /[setup-sandbox-host] microvm     /'
after=$(cat "$MICROVM_DIR/vmlinux.source" "$MICROVM_DIR/initramfs.fingerprint" 2>/dev/null || true)

# The guest needs tsc_early_khz=<host TSC kHz> (its own calibration can hang
# under TCG): record the host's value for the runtime.
khz=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' | tail -n 1)
[ -n "$khz" ] || khz=$(dmesg 2>/dev/null | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/\1/p' | tail -n 1)
[ -n "$khz" ] || khz=$(awk -F: '/^cpu MHz/ { gsub(/ /, "", $2); print $2; exit }' /proc/cpuinfo)
khz=$(awk -v m="$khz" 'BEGIN { printf "%d", m * 1000 }')
echo "$khz" > "$MICROVM_DIR/tsc_khz"
step tsc "$khz kHz (in $MICROVM_DIR/tsc_khz)"

# Boot the guest once (TCG, 60 s watchdog) when its assets changed: the agent's
# READY line must appear on the virtio-serial port.
if [ "$before" != "$after" ] || [ "${CC_CHECK_MICROVM:-0}" = 1 ] || [ ! -f "$MICROVM_DIR/.checked" ]; then
    rm -f "$MICROVM_DIR/.checked"
    t=$(mktemp -d)
    start=$(date +%s%N)
    timeout 60 qemu-system-x86_64 \
        -M microvm,x-option-roms=off,isa-serial=on -accel tcg -nodefaults -no-user-config \
        -m 256 -smp 1 -no-reboot -display none -nic none \
        -kernel "$MICROVM_DIR/vmlinux" -initrd "$MICROVM_DIR/initramfs.cpio.gz" \
        -append "console=ttyS0 quiet panic=-1 tsc_early_khz=$khz tsc=reliable no_timer_check" \
        -serial "file:$t/console.log" \
        -device virtio-serial-device \
        -chardev "file,id=agent,path=$t/agent.out" \
        -device virtserialport,chardev=agent,name=org.crustyclaw.agent \
        > "$t/qemu.log" 2>&1 &
    qpid=$!
    ok=0
    for i in $(seq 1 600); do
        if grep -q '^READY ' "$t/agent.out" 2>/dev/null; then ok=1; break; fi
        kill -0 "$qpid" 2>/dev/null || break
        sleep 0.1
    done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    kill "$qpid" 2>/dev/null || true
    wait "$qpid" 2>/dev/null || true
    if [ $ok = 1 ]; then
        touch "$MICROVM_DIR/.checked"
        step microvm "guest booted, agent ready after $ms ms (TCG)"
        rm -rf "$t"
    else
        cat "$t/qemu.log" >&2; tail -20 "$t/console.log" >&2
        die "microVM guest did not announce READY (files in $t)"
    fi
else
    step microvm "assets unchanged, boot check skipped"
fi
step done "sandbox host ready"
