#!/usr/bin/env bash
# Runs every test of JCCL: unit, in-process data, conformance and multi-process (failsafe) tests,
# first on the default JDK 17, then on Temurin 25. Usage: ./test.sh [17|25] (default: both).
set -euo pipefail
cd "$(dirname "$0")"
JDK25=${JCCL_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
which=${1:-both}
run() {
  echo "=== mvn verify on $("$1/bin/java" -version 2>&1 | head -1)"
  JAVA_HOME="$1" mvn -B -ntp verify
}
jdk17=${JCCL_JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
if [ "$which" = both ] || [ "$which" = 17 ]; then
  run "$jdk17"
fi
if [ "$which" = both ] || [ "$which" = 25 ]; then
  if [ ! -x "$JDK25/bin/java" ]; then
    echo "Temurin 25 not found at $JDK25 (set JCCL_JDK25_HOME)" >&2
    exit 1
  fi
  run "$JDK25"
fi
