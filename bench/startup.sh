#!/bin/bash
# Prints the foundation's figures (docs/performance.md): time from `crustyclaw start` to the
# admin socket answering `status`, the idle daemon's resident memory after 30 s, and a CLI
# round trip (`crustyclaw status`) next to a bare JVM start on the same machine. The first start
# in a fresh state directory is reported apart from the RUNS that follow it.
# Usage: bench/startup.sh [RUNS]   (needs a built distribution and hyperfine for the last part)
set -euo pipefail
runs=${1:-5}
dist=$(cd "$(dirname "$0")/../runtime-dist/target/crustyclaw" && pwd)
cli="$dist/bin/crustyclaw"
export CRUSTYCLAW_STATE=$(mktemp -d /tmp/crustyclaw-bench.XXXXXX)
export CRUSTYCLAW_DEPLOY=$CRUSTYCLAW_STATE/deploy
trap '"$cli" stop >/dev/null 2>&1 || true; rm -rf "$CRUSTYCLAW_STATE"' EXIT

echo "java: $(java -version 2>&1 | head -1); cores: $(nproc)"
echo
# One start -> status; prints the wall clock and the daemon's own figure (spawn to all start levels up).
# `start` itself returns once the daemon's admin socket has answered a `status` query; the
# second figure adds a separate `crustyclaw status` (a second CLI JVM) after it.
start_status() {
  local t0 tm t1 up
  t0=$(date +%s%N)
  "$cli" start >/dev/null
  tm=$(date +%s%N)
  "$cli" status >/dev/null
  t1=$(date +%s%N)
  up=$(grep -o 'all start levels up [0-9]* ms' "$CRUSTYCLAW_STATE/logs/crustyclaw.log" | tail -1 | grep -o '[0-9]* ms')
  printf '%s: start %d ms, start + status CLI %d ms (daemon: all start levels up %s after spawn)\n' "$1" \
    $(( (tm - t0) / 1000000 )) $(( (t1 - t0) / 1000000 )) "$up"
  "$cli" stop >/dev/null
}

echo "start -> status answers (wall clock):"
# The first start in a new state directory also writes the class-data archive, the bundle
# cache and the metatype schema file that later starts reuse.
start_status "  first start, new state dir"
for i in $(seq "$runs"); do
  start_status "  run $i"
done

"$cli" start >/dev/null
pid=$(cat "$CRUSTYCLAW_STATE/run/crustyclaw.pid")
echo
echo "idle daemon resident memory (pid $pid):"
for s in 5 30; do
  sleep $(( s == 5 ? 5 : 25 ))
  printf '  after %2ds: %d MiB\n' "$s" $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 ))
done

echo
if command -v hyperfine >/dev/null; then
  printf 'class Empty { public static void main(String[] a) {} }\n' > "$CRUSTYCLAW_STATE/Empty.java"
  javac -d "$CRUSTYCLAW_STATE" "$CRUSTYCLAW_STATE/Empty.java"
  hyperfine -N --warmup 3 --runs 20 \
    -n "crustyclaw status" "$cli status" \
    -n "bare JVM (empty main, same flags)" "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp $CRUSTYCLAW_STATE Empty"
else
  echo "hyperfine not installed: apt-get install hyperfine for the CLI round trip figures"
fi
