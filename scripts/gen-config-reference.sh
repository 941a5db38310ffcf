#!/bin/bash
# Regenerates the reference part of docs/configuration.md from the metatype of every bundle
# in the built distribution (`crustyclaw config reference`). Run after `mvn package`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
doc=$root/docs/configuration.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CRUSTYCLAW_STATE=$tmp CRUSTYCLAW_DEPLOY=$tmp/deploy "$root/runtime-dist/target/crustyclaw/bin/crustyclaw" config reference \
  </dev/null >"$tmp/reference.md"
awk -v ref="$tmp/reference.md" '
  /<!-- reference:begin -->/ { print; while ((getline line < ref) > 0) print line; skip = 1; next }
  /<!-- reference:end -->/ { skip = 0 }
  !skip { print }
' "$doc" >"$tmp/doc.md"
mv "$tmp/doc.md" "$doc"
echo "updated $doc"
