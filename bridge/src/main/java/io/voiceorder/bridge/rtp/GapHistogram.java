package io.voiceorder.bridge.rtp;

/**
 * Inter-packet gaps of one call's outgoing RTP, in 0.1 ms buckets up to 100 ms (beyond: the last
 * bucket), for the pacing p99. Recording allocates nothing; reads may race with the pacer and see
 * a count one packet stale, which is fine for a statistic.
 */
public final class GapHistogram {
    private static final int BUCKETS = 1001;
    private final int[] counts = new int[BUCKETS];
    private volatile long total;

    public void record(long gapNanos) {
        int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, (gapNanos + 50_000) / 100_000));
        counts[bucket]++;
        total++;
    }

    public long count() {
        return total;
    }

    /** The gap (ms) under which the given fraction of gaps fall; null with no gap recorded. */
    public Double percentileMs(double fraction) {
        long n = total;
        if (n == 0) {
            return null;
        }
        long rank = (long) Math.ceil(fraction * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i / 10.0;
            }
        }
        return (BUCKETS - 1) / 10.0;
    }
}
