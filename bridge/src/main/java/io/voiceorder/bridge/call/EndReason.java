package io.voiceorder.bridge.call;

import java.util.Locale;

/** Why a call ended (bridge.md §3.1 {@code endReason}). */
public enum EndReason {
    CALLER_HANGUP, APP_HANGUP, API_HANGUP, MAX_DURATION, RTP_TIMEOUT, WS_UNREACHABLE, WS_LOST, REJECTED,
    CANCELLED_BY_CALLER, RING_TIMEOUT, REMOTE_FAILURE, TRANSFERRED, TRANSFER_FAILED, ACK_TIMEOUT, SHUTDOWN;

    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
