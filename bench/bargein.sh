#!/usr/bin/env bash
# Barge-in end to end in Mode B (quality.md, performance 4): N sipp calls through the bridge (its own process,
# registered to a local kamailio) to serve (its own process) to the fake OpenAI Realtime server, all on 127.0.0.1.
# Each caller speaks a loud 500 ms tone every 5 s while the assistant speaks; per barge-in, from the fake's
# input_audio_buffer.speech_started to the arrival at the caller's socket of the bridge's last RTP packet
# carrying assistant audio. The fake, the callers' RTP, sipp and kamailio run in / under one benchmark JVM.
# Usage: bench/bargein.sh [CALL_COUNTS] [SECONDS_PER_RUN] [pinned|shared]
#   e.g. bench/bargein.sh 1,20,100 30 shared
# shared (default): every process on every CPU; pinned: serve and the bridge on CPU 0, the benchmark JVM (with
# sipp and kamailio) on CPU 1 (taskset).
# Needs sipp (sip-tester) and kamailio. Builds through the reactor (package, no install). Run directories and logs
# (serve, bridge, sipp, kamailio) go to target/bench-bargein/.
set -euo pipefail
cd "$(dirname "$0")/.."
counts="${1:-1,20,100}"
seconds="${2:-30}"
mode="${3:-shared}"
case "$mode" in
  pinned | shared) ;;
  *) echo "error: mode is pinned or shared, not $mode" >&2; exit 2 ;;
esac
mvn -B -ntp -q -pl cli,src-test-fixtures -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="target/bench-bargein/$(date -u +%Y%m%dT%H%M%SZ)-$mode"
mkdir -p "$out"
echo "nproc: $(nproc); uptime before: $(uptime)"
load=(java -Xmx2g -cp "src-test-fixtures/target/classes:$(cat src-test-fixtures/target/bench.classpath)"
  io.voiceorder.fixtures.bench.BargeInBenchmark "$counts" "$seconds" bin/voiceorder "$out")
case "$mode" in
  pinned) taskset -c 1 "${load[@]}" 0 & ;;
  shared) "${load[@]}" & ;;
esac
bench=$!
# The benchmark's shutdown hooks stop serve, the bridge, kamailio and sipp it started.
trap 'kill "$bench" 2>/dev/null || true; wait "$bench" 2>/dev/null || true' EXIT INT TERM
wait "$bench"
echo "uptime after: $(uptime)"
