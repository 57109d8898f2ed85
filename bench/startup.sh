#!/usr/bin/env bash
# Start-up times through the voiceorder launcher: --help, serve ready (/health 200), bridge registered to a local
# kamailio (quality.md, performance 3). Usage: bench/startup.sh [RUNS]   e.g. bench/startup.sh 5
# Needs kamailio (Debian package). Builds through the reactor (package, no install); logs go to target/bench-startup/.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
mvn -B -ntp -q -pl cli,src-test-fixtures -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="target/bench-startup/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "nproc: $(nproc); uptime before: $(uptime)"
exec java -cp "src-test-fixtures/target/classes:$(cat src-test-fixtures/target/bench.classpath)" \
  io.voiceorder.fixtures.bench.StartupBenchmark "$runs" bin/voiceorder "$out"
