package io.voiceorder.bridge.sip;

import java.time.Instant;
import java.util.Optional;

/** What /health shows of the trunk registration at one instant. */
public record RegistrationSnapshot(String registrar, String aor, RegistrationState state, Optional<Instant> expiresAt,
                                   Instant since, Optional<String> lastError, Optional<Instant> nextAttemptAt,
                                   int successfulRegistrations) {
}
