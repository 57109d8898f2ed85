package io.voiceorder.bridge.call;

/** Who sent an out-of-dialog request (bridge.md §5.3); the first three are a call's {@code source}. */
public enum SourceClass {
    TRUNK("trunk"), PEER("peer"), DEVICE("device"), UNKNOWN("unknown");

    private final String json;

    SourceClass(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
