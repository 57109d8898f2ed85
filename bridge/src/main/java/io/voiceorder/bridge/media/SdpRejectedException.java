package io.voiceorder.bridge.media;

/** A remote SDP the bridge cannot use, with the SIP status to answer (488, or 400 when malformed). */
public final class SdpRejectedException extends Exception {
    private final int sipStatus;
    private final String reason;

    public SdpRejectedException(int sipStatus, String reason) {
        super(sipStatus + " " + reason);
        this.sipStatus = sipStatus;
        this.reason = reason;
    }

    public int sipStatus() {
        return sipStatus;
    }

    public String reason() {
        return reason;
    }
}
