package io.voiceorder.bridge.media;

/** Callbacks from the media side to the call (any thread; must not block). */
public interface LegListener {
    /** serve ended the stream (close or its {@code stop}) and the queued audio has been played: send BYE. */
    void onServeHangup(String endReason);

    /** The WebSocket was lost mid-call; queued audio played (≤ 10 s): send BYE, endReason "ws-lost". */
    void onStreamLost(String endReason);

    /** No RTP/RTCP from the caller for --rtp-timeout seconds: send BYE. */
    void onRtpTimeout();

    /** A DTMF digit was received (RFC 4733), already forwarded to serve as {@code dtmf}. */
    void onDtmf(char digit);
}
