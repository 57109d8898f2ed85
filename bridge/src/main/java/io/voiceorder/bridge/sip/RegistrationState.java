package io.voiceorder.bridge.sip;

/** Trunk registration states (bridge.md §5.1); /health shows {@link #healthName()}. */
public enum RegistrationState {
    UNREGISTERED, REGISTERING, REGISTERED, REFRESHING, FAILED;

    /** A refresh in flight is still registered for callers of /health. */
    public String healthName() {
        return switch (this) {
            case UNREGISTERED -> "unregistered";
            case REGISTERING -> "registering";
            case REGISTERED, REFRESHING -> "registered";
            case FAILED -> "failed";
        };
    }

    public boolean registered() {
        return this == REGISTERED || this == REFRESHING;
    }
}
