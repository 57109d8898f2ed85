#!/usr/bin/env bash
# Soak run (quality.md, reliability "long run"; not part of CI): MINUTES of steady call churn in both modes at once,
# all on 127.0.0.1 — Mode A: CALLS_A simulated Twilio streams into serve; Mode B: CALLS_B sipp calls into the bridge
# (registered to a local kamailio), which streams them to the same serve; serve talks to a fake OpenAI Realtime.
# serve and the bridge run from the packaged jar, each in its own process. Every SAMPLE_SECONDS it prints RSS, heap
# after a full GC, threads, file descriptors of both processes, the bridge's RTP ports in use and the calls done,
# then a verdict comparing the first and last ten minutes. Exit status 0 when everything stayed flat.
# Usage: bench/soak.sh [MINUTES] [CALLS_A] [CALLS_B] [SAMPLE_SECONDS]      e.g. bench/soak.sh 60 5 5 60
# Needs sipp (sip-tester) and kamailio. Logs go to target/bench-soak/<time>/ (or $SOAK_OUT). The run uses its own copy
# of the jar, launcher and fixture classes, so a build during the hour cannot replace them under it.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl cli -am package -DskipTests
mvn -B -ntp -q -pl src-test-fixtures dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
out="${SOAK_OUT:-target/bench-soak/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out/bin"
cp bin/voiceorder cli/target/voiceorder.jar "$out/bin/"
cp -r src-test-fixtures/target/classes "$out/fixtures-classes"
java -Xmx512m -cp "$out/fixtures-classes:$(cat src-test-fixtures/target/bench.classpath)" \
  io.voiceorder.fixtures.bench.SoakRun "${1:-60}" "${2:-5}" "${3:-5}" "$out/bin/voiceorder.jar" "$out/bin/voiceorder" "$out" \
  "${4:-60}" &
soak=$!
# The run's shutdown hook stops serve, the bridge, kamailio and sipp it started.
trap 'kill "$soak" 2>/dev/null || true; wait "$soak" 2>/dev/null || true' EXIT INT TERM
status=0
wait "$soak" || status=$?
trap - EXIT
exit "$status"
