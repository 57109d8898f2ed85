package io.voiceorder.bridge.call;

import java.time.Duration;

/**
 * Call timers of bridge.md §4.2, §5.4, §3.4 and §5.9 (the REFER's answer within 5 s, its final NOTIFY
 * within 30 s); tests shorten them.
 */
public record CallTimings(Duration ackTimeout, Duration ignoredCallRing, Duration wsProbeTimeout, Duration shutdownBudget,
                          Duration referAnswer, Duration referFinalNotify) {

    public static final Duration REFER_ANSWER = Duration.ofSeconds(5);
    public static final Duration REFER_FINAL_NOTIFY = Duration.ofSeconds(30);

    public CallTimings(Duration ackTimeout, Duration ignoredCallRing, Duration wsProbeTimeout, Duration shutdownBudget) {
        this(ackTimeout, ignoredCallRing, wsProbeTimeout, shutdownBudget, REFER_ANSWER, REFER_FINAL_NOTIFY);
    }

    public static CallTimings standard() {
        return new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    public CallTimings withReferAnswer(Duration answer) {
        return new CallTimings(ackTimeout, ignoredCallRing, wsProbeTimeout, shutdownBudget, answer, referFinalNotify);
    }

    public CallTimings withReferFinalNotify(Duration finalNotify) {
        return new CallTimings(ackTimeout, ignoredCallRing, wsProbeTimeout, shutdownBudget, referAnswer, finalNotify);
    }
}
