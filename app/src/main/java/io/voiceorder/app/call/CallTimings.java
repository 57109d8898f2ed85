package io.voiceorder.app.call;

import java.time.Duration;

/**
 * The fixed delays and caps of a call's life. The product always runs with {@link #standard()};
 * tests shorten them to exercise timeouts without waiting minutes.
 */
public record CallTimings(
        Duration startTimeout,
        Duration streamIdleTimeout,
        Duration sessionCreatedWait,
        Duration goodbyeResponseCap,
        Duration drainCap,
        Duration afterDrainPause,
        Duration watchdogDrainCap,
        Duration wrapUpLead,
        Duration wrapUpMinDuration,
        Duration dtmfGap,
        Duration promptDrainCap) {

    public static CallTimings standard() {
        return new CallTimings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(8),
                Duration.ofMillis(300),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofMillis(1500),
                Duration.ofSeconds(8));
    }
}
