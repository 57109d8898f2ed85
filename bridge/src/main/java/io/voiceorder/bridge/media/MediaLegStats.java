package io.voiceorder.bridge.media;

/**
 * Per-call media statistics: the {@code media} object of the call (bridge.md §3.1) plus the drop
 * counters behind {@code rtp_foreign_total} and friends. Nullable fields are unknown so far.
 */
public record MediaLegStats(String codec, String local, String remote, boolean relayed,
                            long rtpIn, long rtpOut, long lostIn, long lateIn, long plcFrames, double jitterMs,
                            Double remoteLossFraction, Double remoteJitterMs, Long rttMs, Double paceGapP99Ms,
                            long underflowFrames, long dtmfIn, long dtmfOut, long marksEchoed, long clears,
                            long discardedMs, Double erleDb,
                            long rtpForeign, long rtpInvalid, long missedTicks, String state) {
}
