package io.voiceorder.bridge.sip;

import java.time.Duration;
import java.util.List;

/** The timers of registration and keepalive (bridge.md §5.1); tests shorten them. */
public record SipTimings(
        List<Duration> failureBackoff,
        Duration steadyRetry,
        Duration authFailureFirstRetry,
        Duration authFailureMaxRetry,
        Duration keepaliveInterval,
        Duration keepaliveTimeout,
        Duration unregisterBudget) {

    public static SipTimings standard() {
        return new SipTimings(
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(16)),
                Duration.ofSeconds(20),
                Duration.ofSeconds(30),
                Duration.ofSeconds(600),
                Duration.ofSeconds(15),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1));
    }

    public SipTimings withKeepalive(Duration interval, Duration timeout) {
        return new SipTimings(failureBackoff, steadyRetry, authFailureFirstRetry, authFailureMaxRetry, interval, timeout,
                unregisterBudget);
    }

    /** Delay before retry number {@code failures} (1-based) after a timeout, transport error or 5xx; ±10 % jitter when steady. */
    public Duration backoff(int failures, double jitter) {
        if (failures <= failureBackoff.size()) {
            return failureBackoff.get(Math.max(0, failures - 1));
        }
        return Duration.ofMillis(Math.round(steadyRetry.toMillis() * (1 + 0.2 * (jitter - 0.5))));
    }

    /** Delay after the {@code failures}-th authentication failure: 30 s doubling to 600 s (providers ban brute force). */
    public Duration authBackoff(int failures) {
        long ms = authFailureFirstRetry.toMillis() << Math.min(Math.max(0, failures - 1), 10);
        return Duration.ofMillis(Math.min(ms, authFailureMaxRetry.toMillis()));
    }
}
