package io.voiceorder.bridge.guard;

/**
 * What the guard decides about one incoming message. Every verdict but {@link #PASS} means "no response"; its
 * {@link #reason()} is the {@code reason} label of {@code sip_dropped_total} (and of {@code invites_refused_total}
 * for scanner, rate_limited and banned INVITEs).
 */
public enum GuardVerdict {
    PASS(null),
    OVERSIZE("oversize"),
    MALFORMED("malformed"),
    BANNED("banned"),
    SCANNER("scanner"),
    RATE_LIMITED("rate_limited");

    private final String reason;

    GuardVerdict(String reason) {
        this.reason = reason;
    }

    public boolean passes() {
        return this == PASS;
    }

    /** The metric label, null for {@link #PASS}. */
    public String reason() {
        return reason;
    }

    /** Whether an INVITE dropped for this reason also counts as a refused INVITE (bridge.md §10.2). */
    public boolean refusesInvite() {
        return this == BANNED || this == SCANNER || this == RATE_LIMITED;
    }
}
