package io.voiceorder.bridge.call;

import java.time.Duration;

/** Call timers of bridge.md §4.2, §5.4, §3.4; tests shorten them. */
public record CallTimings(Duration ackTimeout, Duration ignoredCallRing, Duration wsProbeTimeout, Duration shutdownBudget) {

    public static CallTimings standard() {
        return new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofSeconds(3));
    }
}
