package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The scheduling class is read back from the kernel ({@code /proc/<tid>/stat}), not from what the code believes. */
class RealtimeSchedulingTest {
    private static final int SCHED_OTHER = 0;
    private static final long CAP_SYS_NICE = 1L << 23;

    /** rt_priority and policy of a thread: fields 40 and 41 of its stat line (proc(5)). */
    private record Scheduling(int priority, int policy) {
        static Scheduling of(Path task) throws IOException {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Scheduling(Integer.parseInt(fields[40 - 3]), Integer.parseInt(fields[41 - 3]));
        }
    }

    /** Root and friends hold CAP_SYS_NICE; others may still have an RLIMIT_RTPRIO that covers {@code priority}. */
    private static boolean mayUseRealtime(int priority) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & CAP_SYS_NICE) != 0) {
                return true;
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max realtime priority")) {
                String soft = line.substring("Max realtime priority".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") || Integer.parseInt(soft) >= priority;
            }
        }
        return false;
    }

    private static Scheduling inNewThread(int priority, AtomicReference<RealtimeScheduling.Outcome> outcome) throws Exception {
        AtomicReference<Scheduling> seen = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(RealtimeScheduling.enterFifo(priority));
                // /proc/thread-self links to "<pid>/task/<tid>", relative to /proc
                seen.set(Scheduling.of(Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")))));
            } catch (IOException e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join(5000);
        if (failure.get() != null) {
            throw failure.get();
        }
        return seen.get();
    }

    @Test
    void aThreadAllowedToEntersSchedFifoAtThePriorityAsked() throws Exception {
        assumeTrue(mayUseRealtime(7), "needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO of 7");
        AtomicReference<RealtimeScheduling.Outcome> outcome = new AtomicReference<>();

        Scheduling after = inNewThread(7, outcome);

        assertThat(outcome.get().realtime()).isTrue();
        assertThat(after).isEqualTo(new Scheduling(7, RealtimeScheduling.SCHED_FIFO));
    }

    @Test
    void anOutOfRangePriorityIsRefusedWithTheReasonAndTheThreadStaysOrdinary() throws Exception {
        AtomicReference<RealtimeScheduling.Outcome> outcome = new AtomicReference<>();

        Scheduling after = inNewThread(100, outcome);

        assertThat(outcome.get().realtime()).isFalse();
        assertThat(outcome.get().detail()).contains("1-99");
        assertThat(after).isEqualTo(new Scheduling(0, SCHED_OTHER));
    }

    @Test
    void aPacerGivenAPriorityRunsItsThreadInTheRealTimeClassAndWithoutOneStaysOrdinary() throws Exception {
        assumeTrue(mayUseRealtime(3), "needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO of 3");
        try (Pacer ordinary = new Pacer(0); Pacer realtime = new Pacer(3)) {
            await().atMost(5, TimeUnit.SECONDS).until(realtime::realtime);
            assertThat(ordinary.realtime()).isFalse();
            // Both threads are named media-pacer: one at FIFO 3 (no other pacer asks for 3), one ordinary.
            List<Scheduling> pacers = new ArrayList<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    if (Files.readString(task.resolve("comm")).strip().equals("media-pacer")) {
                        pacers.add(Scheduling.of(task));
                    }
                }
            }
            assertThat(pacers).contains(new Scheduling(3, RealtimeScheduling.SCHED_FIFO), new Scheduling(0, SCHED_OTHER));
        }
    }
}
