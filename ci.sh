#!/bin/bash
# Runs every test, as CI does: prepares the sandbox hosts (apt packages, dockerd with the
# gVisor runtime, local images, microVM kernel and initramfs), then `./mvnw verify` on JDK 17
# and again on Temurin 25 (the end-to-end itests once, on JDK 17). Run as root on Debian;
# safe to run again (setup is idempotent).
set -euo pipefail
cd "$(dirname "$0")"

started=$(date +%s)
section() { printf '\n=== %s (+%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

section "sandbox hosts"
bash scripts/setup-sandbox-host.sh

jdk17=${JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$jdk25/bin/java" ] || { echo "Temurin 25 not found at $jdk25 (set JDK25_HOME)" >&2; exit 1; }

# ./mvnw: the Maven whose resolver checks every artifact against .mvn/checksums (docs/supply-chain.md)
mvn_opts=(-B -ntp -Dstyle.color=never)

section "mvn verify on JDK 17 ($jdk17)"
JAVA_HOME="$jdk17" ./mvnw "${mvn_opts[@]}" clean verify

# The end-to-end tests on the built distribution (itests, ~8 min on 2 cores) run once, above;
# every module's own tests, the sandbox backends' included, run on both JDKs.
section "mvn verify on Temurin 25 ($jdk25), without the end-to-end tests"
JAVA_HOME="$jdk25" ./mvnw "${mvn_opts[@]}" -Dcrustyclaw.itests.skip=true clean verify

section "done"
