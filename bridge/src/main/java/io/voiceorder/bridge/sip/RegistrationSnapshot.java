package io.voiceorder.bridge.sip;

import java.time.Instant;
import java.util.Optional;

/**
 * What /health shows of the trunk registration at one instant.
 *
 * @param keepalive {@code options} or {@code crlf}
 */
public record RegistrationSnapshot(String registrar, String aor, RegistrationState state, Optional<Instant> expiresAt,
                                   Instant since, Optional<String> lastError, Optional<Instant> nextAttemptAt,
                                   int successfulRegistrations, String keepalive) {
}
