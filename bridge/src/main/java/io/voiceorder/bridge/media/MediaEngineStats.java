package io.voiceorder.bridge.media;

import java.util.Map;

/**
 * Process-wide media figures for /health and /metrics (bridge.md §3.3, §10.2).
 * @param pacerRealtime whether the pacing thread got the real-time class it asked for
 * @param pacerGapMs cumulative counts of {@code pacer_gap_ms} per upper bound (ms), plus sum and count
 * @param rtpJitterMs the {@code rtp_jitter_ms} histogram, fed per call every 5 s
 */
public record MediaEngineStats(int liveLegs, String rtpPortRange, int rtpPortsInUse, int rtpPortPairsFree,
                               long pacerMissedTicks, boolean pacerRealtime, Histogram pacerGapMs, Histogram rtpJitterMs,
                               long rtpPacketsIn, long rtpPacketsOut, long rtpLost, long rtpLate, long rtpForeign,
                               long plcFrames, long underflowFrames, long marksEchoed, long clears,
                               long audioDiscardedMs, long dtmfIn, long dtmfOut,
                               Map<String, Long> wsConnects, Map<String, Long> wsDisconnects,
                               Map<String, Long> wsMessagesDropped, String wsLastConnect) {

    /** A Prometheus-style histogram snapshot: cumulative counts per upper bound (the last is +Inf). */
    public record Histogram(double[] upperBounds, long[] cumulativeCounts, double sum, long count) {
    }
}
