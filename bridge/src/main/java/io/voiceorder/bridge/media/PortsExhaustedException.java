package io.voiceorder.bridge.media;

/** No RTP/RTCP port pair is free (SIP 503, REST 503). */
public final class PortsExhaustedException extends Exception {
    public PortsExhaustedException(String message) {
        super(message);
    }
}
