#!/bin/bash
# Builds crustyclaw/build:local, the sandbox image for builds: the base image's busybox plus
# the host's JDK 17 and git with exactly the shared libraries they need (found with ldd).
# No registry is involved. Run as root with dockerd up; skipped when the image exists
# (CC_REBUILD=1 rebuilds it).
set -euo pipefail
IMAGE=${CC_BUILD_IMAGE:-crustyclaw/build:local}
JDK=${CC_BUILD_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
step() { printf '[build-image] %-8s %s\n' "$1" "$2"; }

if docker image inspect "$IMAGE" >/dev/null 2>&1 && [ "${CC_REBUILD:-0}" != 1 ]; then
    step image "$IMAGE present"
    exit 0
fi
[ -x "$JDK/bin/java" ] || { echo "no JDK at $JDK (set CC_BUILD_JDK)" >&2; exit 1; }
command -v git >/dev/null || { echo "git is not installed on the host" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,root,home/sandbox,workspace,proc,sys,dev,usr/bin,usr/lib/jvm}
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nsandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"

# The JDK, configuration symlinks resolved, without what a build never needs.
jdk_name=$(basename "$JDK")
tar -C "$(dirname "$JDK")" --dereference --exclude="$jdk_name/jmods" --exclude="$jdk_name/lib/src.zip" \
    --exclude="$jdk_name/man" --exclude="$jdk_name/demo" -c "$jdk_name" | tar -C "$root/usr/lib/jvm" -x
for tool in java javac jar jshell; do
    ln -s "/usr/lib/jvm/$jdk_name/bin/$tool" "$root/usr/bin/$tool"
done

# git and its helpers (hard links kept), templates for git init.
cp -a /usr/bin/git "$root/usr/bin/git"
mkdir -p "$root/usr/lib" "$root/usr/share"
cp -a /usr/lib/git-core "$root/usr/lib/git-core"
[ -d /usr/share/git-core ] && cp -a /usr/share/git-core "$root/usr/share/git-core"
[ -d /etc/ssl/certs ] && mkdir -p "$root/etc/ssl" && cp -aL /etc/ssl/certs "$root/etc/ssl/certs"

# Every shared library any ELF file in the image needs, and the dynamic loader.
libs=$(find "$root/usr" -type f \( -perm -u+x -o -name '*.so*' \) -print0 \
    | { xargs -0 -n 50 ldd 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
for lib in $libs /lib64/ld-linux-x86-64.so.2; do
    case "$lib" in "$root"*) continue ;; esac
    [ -e "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done

tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change "ENV JAVA_HOME=/usr/lib/jvm/$jdk_name" \
    --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
step image "$IMAGE imported ($(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%d MiB", $1/1048576}'))"
for rt in runc runsc; do
    out=$(timeout 120 docker run --rm --network=none --runtime="$rt" "$IMAGE" /bin/sh -c 'java -version 2>&1 | head -1; git --version' 2>&1) \
        || { echo "$IMAGE does not run java and git under $rt: $out" >&2; exit 1; }
    step "run/$rt" "$(echo "$out" | tr '\n' ' ')"
done
