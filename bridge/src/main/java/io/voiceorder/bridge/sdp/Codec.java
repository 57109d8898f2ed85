package io.voiceorder.bridge.sdp;

/** The audio codecs of the bridge, in order of preference (PCMU needs no conversion). */
public enum Codec {
    PCMU(0, "PCMU"),
    PCMA(8, "PCMA");

    public static final int CLOCK_RATE = 8000;

    private final int staticPayloadType;
    private final String encodingName;

    Codec(int staticPayloadType, String encodingName) {
        this.staticPayloadType = staticPayloadType;
        this.encodingName = encodingName;
    }

    public int staticPayloadType() {
        return staticPayloadType;
    }

    public String encodingName() {
        return encodingName;
    }

    /** As the call object shows it, e.g. {@code PCMA/8000}. */
    public String label() {
        return encodingName + "/" + CLOCK_RATE;
    }
}
