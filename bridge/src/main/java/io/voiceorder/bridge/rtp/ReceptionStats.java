package io.voiceorder.bridge.rtp;

/**
 * Reception statistics of one remote source, per RFC 3550: sequence tracking with wrap-around and
 * resynchronisation (§A.1), cumulative and interval loss (§A.3), interarrival jitter (§A.8).
 * Owned by the receiver thread; values read by others are volatile snapshots.
 */
public final class ReceptionStats {
    private static final int SEQ_MOD = 1 << 16;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private boolean initialised;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private int badSeq = SEQ_MOD + 1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private boolean transitKnown;
    private int lastTransit;
    private double jitter;
    private volatile long lostSnapshot;
    private volatile double jitterMsSnapshot;

    /** Restarts for a new source (SSRC change). */
    public void reset() {
        initialised = false;
        transitKnown = false;
        jitter = 0;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        cycles = 0;
        badSeq = SEQ_MOD + 1;
    }

    /**
     * Accounts one packet's sequence number.
     * @return false for a packet RFC 3550 §A.1 considers invalid (a large jump awaiting confirmation)
     */
    public boolean onSequence(int seq) {
        if (!initialised) {
            init(seq);
            received = 1;
            initialised = true;
            publish();
            return true;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a jump: the source restarted its numbering.
                init(seq);
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        // else: duplicate or reordered packet, counted as received (RFC 3550 §A.3 allows negative loss then).
        received++;
        publish();
        return true;
    }

    /** Interarrival jitter update (§A.8) for an audio packet, arrival converted to timestamp units. */
    public void onArrival(long rtpTimestamp, long arrivalNanos, int clockRate) {
        long arrival = arrivalNanos / 1_000_000L * clockRate / 1000L + (arrivalNanos % 1_000_000L) * clockRate / 1_000_000_000L;
        int transit = (int) (arrival - rtpTimestamp);
        if (transitKnown) {
            int d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        transitKnown = true;
        jitterMsSnapshot = jitter * 1000.0 / clockRate;
    }

    private void init(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private void publish() {
        lostSnapshot = Math.max(0, expected() - received);
    }

    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    public long expected() {
        return initialised ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** Cumulative packets lost (never negative in the snapshot). */
    public long lost() {
        return lostSnapshot;
    }

    /** Jitter in timestamp units, as a report block carries it. */
    public long jitterUnits() {
        return (long) jitter;
    }

    public double jitterMs() {
        return jitterMsSnapshot;
    }

    public boolean hasSource() {
        return initialised;
    }

    /** Fraction lost since the previous call, in 1/256 (RFC 3550 §A.3); moves the interval forward. */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
