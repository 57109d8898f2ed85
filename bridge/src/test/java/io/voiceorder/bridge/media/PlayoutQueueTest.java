package io.voiceorder.bridge.media;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlayoutQueueTest {
    private final PlayoutQueue queue = new PlayoutQueue();
    private final List<String> echoed = new ArrayList<>();
    private final byte[] frame = new byte[160];

    @Test
    void marksBecomeDueWhenTheirBytesHaveBeenTaken() {
        queue.append(filled(200, 1));
        queue.mark("a");
        queue.append(filled(100, 2));
        queue.mark("b");
        assertThat(queue.take(frame)).isEqualTo(160);
        queue.dueMarks(echoed::add);
        assertThat(echoed).isEmpty();
        assertThat(queue.take(frame)).isEqualTo(140);
        assertThat(Arrays.copyOfRange(frame, 0, 40)).containsOnly((byte) 1);
        assertThat(Arrays.copyOfRange(frame, 40, 140)).containsOnly((byte) 2);
        assertThat(Arrays.copyOfRange(frame, 140, 160)).containsOnly((byte) 0xFF);
        queue.dueMarks(echoed::add);
        assertThat(echoed).containsExactly("a", "b");
        assertThat(queue.take(frame)).isZero();
    }

    @Test
    void clearDropsTheAudioAndHandsOverEveryPendingMark() {
        queue.append(filled(1600, 1));
        queue.mark("x");
        queue.append(filled(1600, 1));
        queue.mark("y");
        queue.take(frame);
        assertThat(queue.clear(echoed::add)).isEqualTo(3040);
        assertThat(echoed).containsExactly("x", "y");
        assertThat(queue.size()).isZero();
        queue.mark("after");
        queue.dueMarks(echoed::add);
        assertThat(echoed).containsExactly("x", "y", "after");
    }

    @Test
    void growsAcrossTheRingEndAndCapsAtTwoMinutes() {
        for (int i = 0; i < 300; i++) {
            queue.append(filled(100, i));
            queue.take(frame);
        }
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        queue.append(big);
        int n = 0;
        while (queue.size() > 0) {
            int taken = queue.take(frame);
            for (int j = 0; j < taken; j++) {
                assertThat(frame[j]).isEqualTo(big[n + j]);
            }
            n += taken;
        }
        assertThat(n).isEqualTo(100_000);
        assertThat(queue.append(new byte[PlayoutQueue.CAPACITY])).isZero();
        assertThat(queue.append(new byte[10])).isEqualTo(10);
        assertThat(queue.truncate(80_000)).isEqualTo(PlayoutQueue.CAPACITY - 80_000);
        assertThat(queue.size()).isEqualTo(80_000);
    }

    @Test
    void contentSurvivesGrowthWithAWrappedRing() {
        queue.append(filled(16_000, 7));
        for (int i = 0; i < 50; i++) {
            queue.take(frame);
        }
        byte[] next = new byte[40_000];
        for (int i = 0; i < next.length; i++) {
            next[i] = (byte) (i % 251);
        }
        queue.append(next);
        for (int i = 0; i < 50; i++) {
            queue.take(frame);
        }
        for (int k = 0; k < 250; k++) {
            queue.take(frame);
            for (int j = 0; j < 160; j++) {
                assertThat(frame[j]).isEqualTo((byte) ((k * 160 + j) % 251));
            }
        }
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
