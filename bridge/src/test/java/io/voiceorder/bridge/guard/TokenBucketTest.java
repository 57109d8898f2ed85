package io.voiceorder.bridge.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {
    @Test
    void startsFullAndRefusesOnceEmpty() {
        TokenBucket bucket = new TokenBucket(20, 2, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(bucket.tryTake(0)).as("token %d", i).isTrue();
        }
        assertThat(bucket.tryTake(0)).isFalse();
    }

    @Test
    void refillsAtItsRateAndNeverAboveCapacity() {
        TokenBucket bucket = new TokenBucket(20, 2, 0);
        for (int i = 0; i < 20; i++) {
            bucket.tryTake(0);
        }
        assertThat(bucket.tryTake(400)).as("0.8 token after 400 ms").isFalse();
        assertThat(bucket.tryTake(500)).as("one token after 500 ms").isTrue();
        assertThat(bucket.tryTake(500)).isFalse();
        assertThat(bucket.isFull(500 + 60_000)).isTrue();
        int taken = 0;
        while (bucket.tryTake(3_600_000)) {
            taken++;
        }
        assertThat(taken).as("an hour of silence still leaves only the capacity").isEqualTo(20);
    }

    @Test
    void twoSecondsOfFloodPassTwentyFour() {
        TokenBucket bucket = new TokenBucket(20, 2, 0);
        int passed = 0;
        for (int i = 0; i < 200; i++) {
            if (bucket.tryTake(i * 10L)) {
                passed++;
            }
        }
        assertThat(passed).isBetween(23, 24);
    }

    @Test
    void aClockSteppingBackDoesNotRefill() {
        TokenBucket bucket = new TokenBucket(1, 1, 10_000);
        assertThat(bucket.tryTake(10_000)).isTrue();
        assertThat(bucket.tryTake(5_000)).isFalse();
        assertThat(bucket.tryTake(10_500)).isFalse();
        assertThat(bucket.tryTake(11_000)).isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
