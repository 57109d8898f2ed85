package io.voiceorder.bridge.call;

import java.util.Locale;

/** The call object's {@code status} (bridge.md §3.1). */
public enum CallStatus {
    INITIATED, RINGING, ANSWERED, ACTIVE, COMPLETED, FAILED, BUSY, NO_ANSWER, CANCELLED, TRANSFERRED;

    public boolean isFinal() {
        return ordinal() >= COMPLETED.ordinal();
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CallStatus ofJson(String value) {
        for (CallStatus s : values()) {
            if (s.json().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
