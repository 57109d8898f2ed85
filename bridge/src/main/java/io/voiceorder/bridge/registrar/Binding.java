package io.voiceorder.bridge.registrar;

import java.time.Clock;
import java.time.Instant;

/**
 * A device's one registration (bridge.md §5.2): the Contact it registered, the source address the REGISTER came
 * from (every request to the device goes there, whatever private address the Contact shows), transport,
 * User-Agent and expiry.
 */
public record Binding(String user, String contact, String sourceHost, int sourcePort, String transport, String userAgent,
                      Instant expiresAt) {

    public boolean expired(Clock clock) {
        return !clock.instant().isBefore(expiresAt);
    }

    public long expiresInSeconds(Clock clock) {
        return Math.max(0, java.time.Duration.between(clock.instant(), expiresAt).toSeconds());
    }

    /** {@code host:port} of the REGISTER's source. */
    public String source() {
        return sourceHost + ":" + sourcePort;
    }
}
