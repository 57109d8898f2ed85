#!/usr/bin/env bash
# Bridge media capacity benchmark: N concurrent sipp calls with PCMU RTP through the bridge (its own process,
# registered to a local kamailio) to a WebSocket echo target, all on 127.0.0.1; the bridge's outgoing RTP is
# timed from outside it. Usage: bench/bridge.sh [CALL_COUNTS] [SECONDS_PER_RUN] [pinned|shared]
#   e.g. bench/bridge.sh 1,50,200,500 20 pinned
# pinned (default): the bridge on CPU 0, the load (benchmark JVM with the RTP callers and the echo target, sipp,
# kamailio) on CPU 1 (taskset); shared: all of them on every CPU.
# Needs sipp (sip-tester) and kamailio. Builds through the reactor (package, no install). Run directories and
# logs (bridge, its GC log, sipp, kamailio) go to target/bench-bridge/. VOICEORDER_JAVA_OPTS reaches the bridge
# (e.g. -XX:StartFlightRecording=name=bench,settings=profile: each run's recording is dumped to its directory).
# BENCH_WIRE=1 also times the bridge's RTP on the wire with tcpdump (root), at a small CPU cost to the bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
counts="${1:-1,50,200,500}"
seconds="${2:-20}"
mode="${3:-pinned}"
case "$mode" in
  pinned | shared) ;;
  *) echo "error: mode is pinned or shared, not $mode" >&2; exit 2 ;;
esac
mvn -B -ntp -q -pl cli,src-test-fixtures -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="target/bench-bridge/$(date -u +%Y%m%dT%H%M%SZ)-$mode"
mkdir -p "$out"
echo "nproc: $(nproc); uptime before: $(uptime)"
load=(java -Xmx1g -cp "src-test-fixtures/target/classes:$(cat src-test-fixtures/target/bench.classpath)"
  io.voiceorder.fixtures.bench.BridgeBenchmark "$counts" "$seconds" bin/voiceorder "$out")
case "$mode" in
  pinned) taskset -c 1 "${load[@]}" 0 & ;;
  shared) "${load[@]}" & ;;
esac
bench=$!
# The benchmark's shutdown hooks stop the bridge, kamailio and sipp it started.
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
