#!/bin/bash
# Prints the foundation's figures (docs/performance.md): time from `crustyclaw start` to the
# admin socket answering `status`, the idle daemon's resident memory after 30 s, and a CLI
# round trip (`crustyclaw status`) next to a bare JVM start on the same machine.
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
echo "start -> status answers (wall clock, $runs runs):"
for i in $(seq "$runs"); do
  t0=$(date +%s%N)
  "$cli" start >/dev/null
  "$cli" status >/dev/null
  t1=$(date +%s%N)
  printf '  run %d: %d ms\n' "$i" $(( (t1 - t0) / 1000000 ))
  "$cli" stop >/dev/null
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
