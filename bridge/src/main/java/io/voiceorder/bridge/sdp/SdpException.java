package io.voiceorder.bridge.sdp;

/** An SDP that cannot be used, with the SIP status to answer (400 malformed, 488 not acceptable). */
public final class SdpException extends Exception {
    private final int sipStatus;

    public SdpException(int sipStatus, String message) {
        super(message);
        this.sipStatus = sipStatus;
    }

    public int sipStatus() {
        return sipStatus;
    }
}
