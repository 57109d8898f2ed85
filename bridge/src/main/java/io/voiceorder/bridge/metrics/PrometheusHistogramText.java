package io.voiceorder.bridge.metrics;

import io.voiceorder.bridge.media.MediaEngineStats;

import java.util.Locale;

/**
 * Writes a fixed-bucket histogram snapshot of the media side in the Prometheus text format. The media side keeps
 * its own allocation-free buckets (the pacer records a gap per packet), so they are rendered at scrape time rather
 * than mirrored into a Micrometer histogram.
 */
final class PrometheusHistogramText {
    private PrometheusHistogramText() {
    }

    static void append(StringBuilder out, String name, String help, MediaEngineStats.Histogram h) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < h.upperBounds().length; i++) {
            double bound = h.upperBounds()[i];
            String le = Double.isInfinite(bound) ? "+Inf" : String.format(Locale.ROOT, "%s", bound);
            out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(h.cumulativeCounts()[i]).append('\n');
        }
        out.append(name).append("_sum ").append(String.format(Locale.ROOT, "%s", h.sum())).append('\n');
        out.append(name).append("_count ").append(h.count()).append('\n');
    }
}
