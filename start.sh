#!/usr/bin/env bash
# Runs VoiceOrder from the repository root: builds the jar when it is missing or older than the sources,
# starts `voiceorder serve` in the background (log: logs/serve.log), waits until GET /health answers,
# then, when SIP is configured (SIP_USERNAME or SIP_DEVICES set), starts the SIP bridge through
# ./start-sipbridge.sh (log: logs/bridge.log). Runs until CTRL+C or SIGTERM, which stops both (serve
# drains live calls for up to 10 s, the bridge hangs up and un-registers), or until one of them exits.
# Exits non-zero if either failed.
#
# Configuration comes from the environment and from .env in the repository root (see .env.example);
# serve and the bridge read .env themselves, with real environment variables winning. This script reads
# only PORT, SIP_USERNAME and SIP_DEVICES from them, and prints no value of any variable.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

readonly JAR=cli/target/voiceorder.jar
readonly LOG_DIR=logs
readonly READY_TIMEOUT_S=30

# A variable as serve sees it: the environment, else its last line in .env (bare or quoted value).
setting() {
  local name="$1" fallback="$2" value="${!1:-}"
  if [[ -z "$value" && -f .env ]]; then
    value="$(sed -nE "s/^[[:space:]]*(export[[:space:]]+)?$name[[:space:]]*=[[:space:]]*//p" .env | tail -n 1)"
    value="${value%%[[:space:]]#*}"
    value="${value%"${value##*[![:space:]]}"}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]}"
    fi
  fi
  printf '%s' "${value:-$fallback}"
}

build_if_needed() {
  if [[ -f "$JAR" ]] && [[ -z "$(find pom.xml ./*/pom.xml ./*/src -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
    return
  fi
  local maven=mvn
  if [[ -x ./mvnw ]]; then
    maven=./mvnw
  fi
  command -v "$maven" >/dev/null || { echo "error: $JAR needs building but Maven is not installed. Install Maven 3.8+ or add the wrapper ./mvnw." >&2; exit 1; }
  echo "build: $JAR is missing or older than the sources; running $maven -B -ntp -q -DskipTests package"
  "$maven" -B -ntp -q -DskipTests package || { echo "error: the build failed (see above). Fix it, then run ./start.sh again." >&2; exit 1; }
}

health_answers() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/health" 2>/dev/null
}

show_log_tail() {
  echo "--- last lines of $1 ---" >&2
  tail -n 20 "$1" >&2
}

command -v curl >/dev/null || { echo "error: curl is needed to check serve's /health. Install curl." >&2; exit 1; }
build_if_needed
mkdir -p "$LOG_DIR"

port="$(setting PORT 5050)"
if health_answers "$port"; then
  echo "error: something already answers http://127.0.0.1:$port/health (an earlier serve?). Stop it or set PORT." >&2
  exit 1
fi

# Every process this script started; CTRL+C or SIGTERM stops them all.
children=()
stopping=false
interrupted=false
stop_children() {
  stopping=true
  interrupted=true
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
}
trap stop_children INT TERM

# Waits for a child, again after each trapped signal; returns the child's exit status.
wait_for() {
  local status
  while true; do
    interrupted=false
    status=0
    wait "$1" || status=$?
    [[ "$interrupted" == true ]] || return "$status"
  done
}

serve_log="$LOG_DIR/serve.log"
bin/voiceorder serve >"$serve_log" 2>&1 &
serve_pid=$!
children+=("$serve_pid")
echo "serve: starting on port $port (pid $serve_pid), log: $serve_log"

deadline=$((SECONDS + READY_TIMEOUT_S))
until health_answers "$port"; do
  if [[ "$stopping" == true ]]; then
    break
  fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    status=0
    wait_for "$serve_pid" || status=$?
    echo "error: serve exited with status $status before answering /health." >&2
    show_log_tail "$serve_log"
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "error: serve did not answer http://127.0.0.1:$port/health within ${READY_TIMEOUT_S} s." >&2
    show_log_tail "$serve_log"
    stop_children
    wait_for "$serve_pid" || true
    exit 1
  fi
  sleep 0.2
done
if [[ "$stopping" == false ]]; then
  echo "serve: ready at http://127.0.0.1:$port (CTRL+C stops it)"
fi

bridge_pid=""
if [[ "$stopping" == false && ( -n "$(setting SIP_USERNAME '')" || -n "$(setting SIP_DEVICES '')" ) ]]; then
  bridge_log="$LOG_DIR/bridge.log"
  VOICEORDER_LAUNCHER=bin/voiceorder ./start-sipbridge.sh >"$bridge_log" 2>&1 &
  bridge_pid=$!
  children+=("$bridge_pid")
  echo "bridge: starting (pid $bridge_pid), log: $bridge_log"
fi

# Until a signal or the first child to end; then the other one is stopped too.
first_status=0
first=""
while [[ "$stopping" == false ]]; do
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    first=serve
    break
  fi
  if [[ -n "$bridge_pid" ]] && ! kill -0 "$bridge_pid" 2>/dev/null; then
    first=bridge
    break
  fi
  sleep 0.5 &
  wait $! 2>/dev/null || true
done

reaped=""
if [[ -n "$first" ]]; then
  pid_var="${first}_pid"
  reaped="${!pid_var}"
  wait_for "$reaped" || first_status=$?
  echo "error: $first exited with status $first_status; stopping the rest." >&2
  show_log_tail "$LOG_DIR/$first.log"
  stop_children
fi

status=0
for pid in "${children[@]}"; do
  [[ "$pid" == "$reaped" ]] && continue
  child_status=0
  wait_for "$pid" || child_status=$?
  if [[ "$child_status" -ne 0 && "$status" -eq 0 ]]; then
    status=$child_status
  fi
done
if [[ -n "$first" ]]; then
  exit $((first_status == 0 ? 1 : first_status))
fi
if [[ "$status" -eq 0 ]]; then
  echo "stopped"
  exit 0
fi
echo "error: a process exited with status $status while stopping." >&2
exit "$status"
