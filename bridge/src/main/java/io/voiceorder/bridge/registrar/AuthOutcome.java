package io.voiceorder.bridge.registrar;

/** What a device request's credentials are worth (bridge.md §5.2). */
public sealed interface AuthOutcome {
    /** No usable credentials yet, or a stale nonce: challenge (401 or 407). */
    record Challenge(boolean stale) implements AuthOutcome {
    }

    /** Valid credentials of the configured device {@code user}. */
    record Accepted(String user) implements AuthOutcome {
    }

    /** Unknown user, user ≠ To user, or wrong response: 403, and an authentication failure is counted. */
    record Refused(String reason) implements AuthOutcome {
    }
}
