package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JitterBufferTest {
    private static final long MS = 1_000_000L;
    private static final byte SILENCE = (byte) 0xFF;

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private final byte[] out = new byte[160];

    @Test
    void playoutStartsAfterTheDelayAndRestoresOrder() {
        JitterBuffer jb = new JitterBuffer(60, SILENCE);
        long t = 0;
        jb.insert(1, 1000 + 160, filled(160, 2), 0, 160, null, t);
        jb.insert(1, 1000, filled(160, 1), 0, 160, null, t);
        assertThat(jb.next(out, 0, t + 40 * MS)).isEqualTo(JitterBuffer.Frame.WAITING);
        assertThat(out).containsOnly(SILENCE);
        // Playout starts at the first packet's timestamp; the older packet behind it is late.
        assertThat(jb.next(out, 0, t + 60 * MS)).isEqualTo(JitterBuffer.Frame.AUDIO);
        assertThat(out).containsOnly((byte) 2);
    }

    @Test
    void inOrderAfterReorderingWithinTheDelay() {
        JitterBuffer jb = new JitterBuffer(60, SILENCE);
        jb.insert(1, 0, filled(160, 1), 0, 160, null, 0);
        jb.insert(1, 320, filled(160, 3), 0, 160, null, 5 * MS);
        jb.insert(1, 160, filled(160, 2), 0, 160, null, 10 * MS);
        jb.next(out, 0, 60 * MS);
        assertThat(out).containsOnly((byte) 1);
        jb.next(out, 0, 80 * MS);
        assertThat(out).containsOnly((byte) 2);
        jb.next(out, 0, 100 * MS);
        assertThat(out).containsOnly((byte) 3);
    }

    @Test
    void lateDuplicateAndMissingPackets() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        jb.insert(1, 0, filled(160, 1), 0, 160, null, 0);
        assertThat(jb.insert(1, 0, filled(160, 9), 0, 160, null, 0)).isEqualTo(JitterBuffer.Insert.DUPLICATE);
        assertThat(jb.next(out, 0, 20 * MS)).isEqualTo(JitterBuffer.Frame.AUDIO);
        assertThat(out).containsOnly((byte) 1);
        assertThat(jb.next(out, 0, 40 * MS)).isEqualTo(JitterBuffer.Frame.CONCEALED);
        assertThat(out).containsOnly(SILENCE);
        assertThat(jb.insert(1, 160, filled(160, 2), 0, 160, null, 45 * MS)).isEqualTo(JitterBuffer.Insert.LATE);
    }

    @Test
    void packetsOfAnyDurationFillFrames() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        jb.insert(1, 0, filled(80, 1), 0, 80, null, 0);
        jb.insert(1, 80, filled(240, 2), 0, 240, null, 0);
        jb.next(out, 0, 20 * MS);
        assertThat(Arrays.copyOf(out, 80)).containsOnly((byte) 1);
        assertThat(Arrays.copyOfRange(out, 80, 160)).containsOnly((byte) 2);
        jb.next(out, 0, 40 * MS);
        assertThat(out).containsOnly((byte) 2);
    }

    @Test
    void timestampsWrapAround() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        long ts = 0xFFFFFFFFL - 79;
        jb.insert(1, ts, filled(160, 1), 0, 160, null, 0);
        jb.insert(1, (ts + 160) & 0xFFFFFFFFL, filled(160, 2), 0, 160, null, 0);
        jb.next(out, 0, 20 * MS);
        assertThat(out).containsOnly((byte) 1);
        assertThat(jb.next(out, 0, 40 * MS)).isEqualTo(JitterBuffer.Frame.AUDIO);
        assertThat(out).containsOnly((byte) 2);
    }

    @Test
    void excessDepthIsDroppedBackToTheDelay() {
        JitterBuffer jb = new JitterBuffer(60, SILENCE);
        for (int i = 0; i < 14; i++) {
            jb.insert(1, 160L * i, filled(160, i), 0, 160, null, 0);
        }
        // 280 ms arrived at once: more than delay + 200 ms, so only the newest 60 ms stay ahead.
        assertThat(jb.droppedFrames()).isEqualTo(11);
        assertThat(jb.depthSamples()).isEqualTo(480);
        jb.next(out, 0, 60 * MS);
        assertThat(out).containsOnly((byte) 11);
    }

    @Test
    void ssrcChangeAndTimestampJumpResetThePlayoutPoint() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        jb.insert(1, 1000, filled(160, 1), 0, 160, null, 0);
        jb.next(out, 0, 20 * MS);
        jb.insert(2, 500_000, filled(160, 2), 0, 160, null, 25 * MS);
        assertThat(jb.next(out, 0, 30 * MS)).isEqualTo(JitterBuffer.Frame.WAITING);
        jb.next(out, 0, 45 * MS);
        assertThat(out).containsOnly((byte) 2);
        jb.insert(2, 900_000, filled(160, 3), 0, 160, null, 50 * MS);
        jb.next(out, 0, 70 * MS);
        assertThat(out).containsOnly((byte) 3);
    }

    @Test
    void aRunOfLatePacketsFollowsTheSourceBack() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        jb.insert(1, 8000, filled(160, 1), 0, 160, null, 0);
        for (int i = 0; i < 5; i++) {
            jb.next(out, 0, (20 + 20 * i) * MS);
        }
        for (int i = 0; i < 3; i++) {
            jb.insert(1, 4000 + 160L * i, filled(160, 5), 0, 160, null, 130 * MS);
        }
        jb.next(out, 0, 160 * MS);
        assertThat(out).containsOnly((byte) 5);
    }

    @Test
    void comfortNoiseGapIsSilenceNotLoss() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        jb.insert(1, 0, filled(160, 1), 0, 160, null, 0);
        jb.comfortNoise(1, 160, 0);
        jb.next(out, 0, 20 * MS);
        assertThat(jb.next(out, 0, 40 * MS)).isEqualTo(JitterBuffer.Frame.AUDIO);
        assertThat(out).containsOnly(SILENCE);
    }

    @Test
    void converterIsAppliedOnTheWayIn() {
        JitterBuffer jb = new JitterBuffer(20, SILENCE);
        byte[] table = new byte[256];
        Arrays.fill(table, (byte) 0x42);
        jb.insert(1, 0, filled(160, 1), 0, 160, table, 0);
        jb.next(out, 0, 20 * MS);
        assertThat(out).containsOnly((byte) 0x42);
    }
}
