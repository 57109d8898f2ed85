#!/usr/bin/env bash
# serve relay capacity benchmark: N simulated Twilio calls through serve (its own process, bin/voiceorder serve)
# to the fake OpenAI Realtime server, all on 127.0.0.1; the simulators and the fake run in a second JVM.
# Usage: bench/relay.sh [CALL_COUNTS] [SECONDS_PER_RUN] [pinned|shared]
#   e.g. bench/relay.sh 1,50,200,500,1000 20 pinned
# pinned (default): serve on CPU 0, the load JVM on CPU 1 (taskset); shared: both on every CPU.
# Builds through the reactor (package, no install). Run directories and serve's logs go to target/bench-relay/.
set -euo pipefail
cd "$(dirname "$0")/.."
counts="${1:-1,50,200,500,1000}"
seconds="${2:-20}"
mode="${3:-pinned}"
mvn -B -ntp -q -pl cli,src-test-fixtures -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="target/bench-relay/$(date -u +%Y%m%dT%H%M%SZ)-$mode"
mkdir -p "$out"
echo "nproc: $(nproc); uptime before: $(uptime)"
load=(java -Xmx6g -Xlog:gc:file="$out/load-gc.log" -cp "src-test-fixtures/target/classes:$(cat src-test-fixtures/target/bench.classpath)"
  io.voiceorder.fixtures.bench.RelayBenchmark "$counts" "$seconds" bin/voiceorder "$out")
case "$mode" in
  pinned) taskset -c 1 "${load[@]}" 0 & ;;
  shared) "${load[@]}" & ;;
  *) echo "error: mode is pinned or shared, not $mode" >&2; exit 2 ;;
esac
bench=$!
# The benchmark's shutdown hooks stop the serve processes it started.
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
