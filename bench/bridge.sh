#!/usr/bin/env bash
# Bridge media capacity benchmark: N concurrent sipp calls with PCMU RTP through the bridge (its own process,
# registered to a local kamailio) to a WebSocket echo target, all on 127.0.0.1; the bridge's outgoing RTP is
# timed from outside it. Usage: bench/bridge.sh [CALL_COUNTS] [SECONDS_PER_RUN]
#   e.g. bench/bridge.sh 1,50,200,500 20
# Needs sipp (sip-tester) and kamailio. Run directories and logs go to target/bench-bridge/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl cli -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="target/bench-bridge/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "nproc: $(nproc); uptime before: $(uptime)"
java -Xmx1g -cp "src-test-fixtures/target/classes:$(cat src-test-fixtures/target/bench.classpath)" \
  io.voiceorder.fixtures.bench.BridgeBenchmark "${1:-1,50,200,500}" "${2:-20}" bin/voiceorder "$out" &
bench=$!
# The benchmark's shutdown hooks stop the bridge, kamailio and sipp it started.
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
