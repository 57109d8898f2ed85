#!/usr/bin/env bash
# Starts only the SIP bridge (voiceorder bridge), mapping environment variables to its flags the way the
# original start script did. ./.env is loaded first (auto-exported); real environment variables set before
# running this script are overridden by .env only where .env sets them.
#
# Secrets (SIP_PASSWORD, TURN_PASSWORD, SIP_DEVICES, BRIDGE_API_TOKEN, MEDIA_STREAM_SECRET, CALLBACK_SECRET)
# stay in the exported environment, where the bridge reads them: they never go on its command line (visible
# in `ps`) and this script never prints them. Every other variable of bridge.md §2 is read by the bridge itself.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if [[ -f .env ]]; then
  set -a
  # shellcheck disable=SC1091 # the operator's own configuration
  source ./.env
  set +a
fi

if [[ -z "${SIP_USERNAME:-}" && -z "${SIP_DEVICES:-}" && -z "${SIP_ALLOW_FROM:-}" ]]; then
  echo "error: none of SIP_USERNAME (SIP trunk), SIP_DEVICES (gateway devices) or SIP_ALLOW_FROM (peers) is set:" \
    "the bridge would have no way for calls to come in. Set one in .env or the environment." >&2
  exit 1
fi
if [[ -z "${RESTAURANT_ID:-}" ]]; then
  echo "error: RESTAURANT_ID is not set: serve needs it to know which restaurant answers. Set it in .env or the environment." >&2
  exit 1
fi

args=(bridge
  --sip-domain "${SIP_DOMAIN:-sip.twilio.com}"
  --sip-transport "${SIP_TRANSPORT:-udp}"
  --ws-target "${WS_TARGET:-ws://localhost:5050/media-stream}"
  --api-port "${BRIDGE_API_PORT:-5060}"
  --max-call-duration "${MAX_CALL_DURATION:-600}"
  --max-concurrent-calls "${MAX_CONCURRENT_CALLS:-10}"
  --param "restaurantId=${RESTAURANT_ID}")
[[ -n "${SIP_USERNAME:-}" ]] && args+=(--sip-username "$SIP_USERNAME")
# only when set: a literal 0 would defeat the 5060 default of gateway and peer modes
[[ -n "${SIP_PORT:-}" ]] && args+=(--sip-port "$SIP_PORT")
[[ -n "${STUN_SERVER:-}" ]] && args+=(--stun-server "$STUN_SERVER")
[[ -n "${TURN_SERVER:-}" ]] && args+=(--turn-server "$TURN_SERVER")
[[ -n "${TURN_USERNAME:-}" ]] && args+=(--turn-username "$TURN_USERNAME")
[[ -n "${STATUS_CALLBACK_URL:-}" ]] && args+=(--status-callback-url "$STATUS_CALLBACK_URL")
[[ -n "${INCOMING_CALLBACK_URL:-}" ]] && args+=(--incoming-callback-url "$INCOMING_CALLBACK_URL")

state() { if [[ -n "${!1:-}" ]]; then printf '%s set' "$1"; else printf '%s not set' "$1"; fi; }
launcher="${VOICEORDER_LAUNCHER:-bin/voiceorder}"
echo "starting: $launcher ${args[*]}"
echo "secrets from the environment: $(state SIP_PASSWORD), $(state TURN_PASSWORD), $(state SIP_DEVICES)," \
  "$(state BRIDGE_API_TOKEN), $(state MEDIA_STREAM_SECRET), $(state CALLBACK_SECRET)"
exec "$launcher" "${args[@]}"
