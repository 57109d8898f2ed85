package io.voiceorder.bridge.media;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Process-wide media counters and histograms, fed by every leg (bridge.md §10.2). */
final class MediaCounters {
    static final double[] PACER_GAP_BOUNDS = {10, 15, 18, 19, 19.5, 20, 20.5, 21, 22, 25, 30, 40, 60};
    static final double[] JITTER_BOUNDS = {1, 2, 5, 10, 20, 40, 80, 160};

    final LongAdder rtpIn = new LongAdder();
    final LongAdder rtpOut = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder late = new LongAdder();
    final LongAdder foreign = new LongAdder();
    final LongAdder plc = new LongAdder();
    final LongAdder underflow = new LongAdder();
    final LongAdder marksEchoed = new LongAdder();
    final LongAdder clears = new LongAdder();
    final LongAdder discardedMs = new LongAdder();
    final LongAdder dtmfIn = new LongAdder();
    final LongAdder dtmfOut = new LongAdder();
    final Histogram pacerGap = new Histogram(PACER_GAP_BOUNDS);
    final Histogram jitter = new Histogram(JITTER_BOUNDS);

    /** Fixed buckets, allocation-free recording. */
    static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds.clone();
            this.buckets = new LongAdder[bounds.length + 1];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(double value) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            buckets[i].increment();
            sum.add(value);
            count.increment();
        }

        MediaEngineStats.Histogram snapshot() {
            double[] upper = new double[bounds.length + 1];
            long[] cumulative = new long[bounds.length + 1];
            long running = 0;
            for (int i = 0; i < buckets.length; i++) {
                running += buckets[i].sum();
                cumulative[i] = running;
                upper[i] = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
            }
            return new MediaEngineStats.Histogram(upper, cumulative, sum.sum(), count.sum());
        }
    }
}
