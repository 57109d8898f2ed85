package io.voiceorder.bridge.metrics;

import io.voiceorder.bridge.media.MediaEngineStats;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeMetricsTest {

    @Test
    void scrapeExposesThePacerGapAndJitterHistogramsOfTheMediaSide() {
        BridgeMetrics metrics = new BridgeMetrics("127.0.0.1");
        MediaEngineStats.Histogram gaps = new MediaEngineStats.Histogram(
                new double[] {19.5, 20, 20.5, Double.POSITIVE_INFINITY}, new long[] {1, 7, 9, 10}, 201.5, 10);
        MediaEngineStats.Histogram jitter = new MediaEngineStats.Histogram(
                new double[] {1, Double.POSITIVE_INFINITY}, new long[] {2, 3}, 4.5, 3);
        MediaEngineStats stats = new MediaEngineStats(1, "10000-10010", 2, 4, 0, true, gaps, jitter, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, Map.of(), Map.of(), Map.of(), null);
        metrics.bindMedia(() -> stats);

        String text = metrics.scrape();

        assertThat(text).contains("# TYPE voiceorder_bridge_pacer_gap_ms histogram\n")
                .contains("voiceorder_bridge_pacer_gap_ms_bucket{le=\"19.5\"} 1\n")
                .contains("voiceorder_bridge_pacer_gap_ms_bucket{le=\"20.0\"} 7\n")
                .contains("voiceorder_bridge_pacer_gap_ms_bucket{le=\"+Inf\"} 10\n")
                .contains("voiceorder_bridge_pacer_gap_ms_sum 201.5\n")
                .contains("voiceorder_bridge_pacer_gap_ms_count 10\n")
                .contains("voiceorder_bridge_rtp_jitter_ms_bucket{le=\"+Inf\"} 3\n")
                .contains("voiceorder_bridge_rtp_jitter_ms_count 3\n")
                .contains("voiceorder_bridge_rtp_packets_total{direction=\"out\"} 6.0")
                .contains("voiceorder_bridge_pacer_realtime 1.0");
    }

    @Test
    void withoutAMediaEngineThereAreNoMediaHistograms() {
        assertThat(new BridgeMetrics("127.0.0.1").scrape()).doesNotContain("pacer_gap_ms").contains("registration_up");
    }
}
