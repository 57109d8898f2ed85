package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    @Test
    void tasksTickEveryTwentyMillisecondsOnAbsoluteDeadlinesInSpreadSlots() throws Exception {
        try (Pacer pacer = new Pacer()) {
            List<Long> times = new CopyOnWriteArrayList<>();
            List<Integer> skips = new CopyOnWriteArrayList<>();
            Pacer.Handle first = pacer.add((now, skipped) -> {
                times.add(now);
                skips.add(skipped);
            });
            Pacer.Handle second = pacer.add((now, skipped) -> { });
            assertThat(second.slot()).isNotEqualTo(first.slot());
            Thread.sleep(1000);
            first.cancel();
            second.cancel();
            int ticks = times.size();
            // Ticks run plus ticks skipped (a loaded machine) cover one second of 20 ms periods.
            int covered = ticks + skips.stream().mapToInt(Integer::intValue).sum();
            assertThat(covered).isBetween(45, 51);
            // Deadlines are absolute: the n-th period's tick is never a whole period behind t0 + n × 20 ms.
            long t0 = times.get(0);
            int period = 0;
            for (int n = 0; n < times.size(); n++) {
                period += skips.get(n);
                long due = t0 + period * Pacer.PERIOD_NANOS;
                assertThat(times.get(n) - due).isLessThan(Pacer.PERIOD_NANOS);
                period++;
            }
            Thread.sleep(100);
            assertThat(times).hasSize(ticks);
            int[] loads = pacer.slotLoads();
            assertThat(java.util.Arrays.stream(loads).sum()).isZero();
        }
    }

    @Test
    void aStalledPassSkipsTicksInsteadOfBurstingAndCountsThem() throws Exception {
        try (Pacer pacer = new Pacer()) {
            AtomicInteger calls = new AtomicInteger();
            List<Integer> skips = new CopyOnWriteArrayList<>();
            pacer.add((now, skipped) -> {
                if (calls.incrementAndGet() == 5) {
                    try {
                        Thread.sleep(75);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            pacer.add((now, skipped) -> skips.add(skipped));
            Thread.sleep(600);
            assertThat(skips.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(2);
            assertThat(pacer.missedTicks()).isGreaterThanOrEqualTo(2);
            // Ticks run + ticks skipped cover the elapsed periods without running any twice.
            int run = skips.size();
            int skipped = skips.stream().mapToInt(Integer::intValue).sum();
            assertThat(run + skipped).isBetween(27, 31);
        }
    }

    @Test
    void aFailingTaskDoesNotStopThePacer() throws Exception {
        try (Pacer pacer = new Pacer()) {
            AtomicInteger ok = new AtomicInteger();
            pacer.add((now, skipped) -> {
                throw new IllegalStateException("boom");
            });
            pacer.add((now, skipped) -> ok.incrementAndGet());
            Thread.sleep(200);
            assertThat(ok.get()).isGreaterThan(5);
        }
    }
}
