package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReceptionStatsTest {
    private static final long MS = 1_000_000L;

    @Test
    void lossAcrossSequenceWrapAround() {
        ReceptionStats s = new ReceptionStats();
        int seq = 65530;
        for (int i = 0; i < 20; i++) {
            if (i == 7 || i == 8) {
                continue;
            }
            assertThat(s.onSequence((seq + i) & 0xFFFF)).isTrue();
        }
        assertThat(s.expected()).isEqualTo(20);
        assertThat(s.lost()).isEqualTo(2);
        assertThat(s.extendedHighestSequence()).isEqualTo(65536 + 13);
        assertThat(s.takeFractionLost()).isEqualTo(2 * 256 / 20);
        assertThat(s.takeFractionLost()).isZero();
    }

    @Test
    void aJumpIsConfirmedByTwoSequentialPackets() {
        ReceptionStats s = new ReceptionStats();
        s.onSequence(100);
        s.onSequence(101);
        assertThat(s.onSequence(30000)).isFalse();
        assertThat(s.onSequence(30001)).isTrue();
        assertThat(s.expected()).isEqualTo(1);
        assertThat(s.lost()).isZero();
    }

    @Test
    void jitterIsZeroForPerfectTimingAndGrowsWithVariation() {
        ReceptionStats s = new ReceptionStats();
        for (int i = 0; i < 50; i++) {
            s.onSequence(i);
            s.onArrival(160L * i, 20 * MS * i, 8000);
        }
        assertThat(s.jitterMs()).isLessThan(0.2);
        ReceptionStats varied = new ReceptionStats();
        for (int i = 0; i < 200; i++) {
            varied.onSequence(i);
            varied.onArrival(160L * i, 20 * MS * i + (i % 2 == 0 ? 0 : 10 * MS), 8000);
        }
        // Alternating 10 ms offsets: |D| = 80 samples each time, so J converges to 80 = 10 ms.
        assertThat(varied.jitterMs()).isBetween(9.0, 10.5);
        assertThat(varied.jitterUnits()).isBetween(72L, 84L);
    }
}
