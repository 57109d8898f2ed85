package io.voiceorder.bridge.guard;

/** Why a source is banned (bridge.md §9.2), as {@code /health} names it. */
public enum BanReason {
    /** 5 device authentication failures within 10 min. */
    AUTH_FAILURES("auth_failures"),
    /** Dropped for exceeding its request budget in each of 30 consecutive seconds. */
    FLOOD("flood");

    private final String healthName;

    BanReason(String healthName) {
        this.healthName = healthName;
    }

    public String healthName() {
        return healthName;
    }
}
