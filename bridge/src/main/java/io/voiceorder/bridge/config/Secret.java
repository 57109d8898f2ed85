package io.voiceorder.bridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential that must never reach a log line, an error message or an API response.
 * {@link #toString()} only says whether it is set.
 */
public final class Secret {
    private static final Secret UNSET = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? UNSET : new Secret(value);
    }

    public static Secret unset() {
        return UNSET;
    }

    public boolean isSet() {
        return !value.isEmpty();
    }

    /** The raw value, for the one place that needs it (a digest, an HMAC key, a header). */
    public String reveal() {
        return value;
    }

    /** Constant-time comparison with a presented value (a bearer token). */
    public boolean matches(String presented) {
        if (presented == null || !isSet()) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** "set" or "not set", as the start-up banner prints it. */
    public String state() {
        return isSet() ? "set" : "not set";
    }

    @Override
    public String toString() {
        return state();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }
}
