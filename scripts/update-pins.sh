#!/bin/bash
# Rewrites .mvn/checksums/checksums.sha256, the SHA-256 of every artifact the build resolves
# (dependencies, plugins and their dependencies, POMs, the distribution's bundles, -Pbench too),
# from a fresh local repository so each file comes from the remote repository, not from a
# local cache that may have been changed. Run it after changing a dependency or a plugin, then
# read `git diff .mvn/checksums` (one line per file, sorted by path) and commit it.
# Needs the network (Maven Central); takes a few minutes. See docs/supply-chain.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pins=.mvn/checksums/checksums.sha256
repo=$(mktemp -d "${TMPDIR:-/tmp}/crustyclaw-pins-XXXXXX")
trap 'rm -rf "$repo"' EXIT
record=(-B -ntp -Dmaven.repo.local="$repo" -Daether.artifactResolver.postProcessor.trustedChecksums.record=true)

mkdir -p "$(dirname "$pins")"
: > "$pins"
# everything a clean build and a release lay out, tests compiled but not run
./mvnw "${record[@]}" -Pbench clean install -DskipTests
# the test runner's own providers are resolved only when a test runs: one quick test suffices
./mvnw "${record[@]}" test -pl bundles/config -Dtest=ConfigCheckerTest -Dsurefire.failIfNoSpecifiedTests=false
rm -f "$pins.bak"
# by path, so a diff reads as the artifacts that changed
LC_ALL=C sort -k2 -o "$pins" "$pins"
{
  echo "# SHA-256 of every artifact the build resolves; checked by Maven on every ./mvnw run (.mvn/maven.config)."
  echo "# Regenerate with scripts/update-pins.sh after a dependency or plugin change; never edit by hand."
  cat "$pins"
} > "$pins.new"
mv "$pins.new" "$pins"
echo "$pins: $(grep -vc '^#' "$pins") artifacts pinned"
