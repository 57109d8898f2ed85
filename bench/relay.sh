#!/usr/bin/env bash
# serve relay capacity benchmark: N simulated Twilio calls through serve to the fake OpenAI Realtime
# server, all on 127.0.0.1. Usage: bench/relay.sh [CALL_COUNTS] [SECONDS_PER_RUN]
#   e.g. bench/relay.sh 1,50,200,500 20
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl src-test-fixtures,app -am install -DskipTests
mvn -B -ntp -q -pl app dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -Dvoiceorder.test.log=ERROR \
  -cp "app/target/test-classes:app/target/classes:$(cat app/target/bench.classpath)" \
  io.voiceorder.app.bench.RelayBenchmark "${1:-1,50,200,500}" "${2:-20}"
