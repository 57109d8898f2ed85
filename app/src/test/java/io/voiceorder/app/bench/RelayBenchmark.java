package io.voiceorder.app.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * serve's relay capacity: N simulated Twilio calls through serve to the fake OpenAI Realtime server,
 * all on 127.0.0.1 in one JVM, each with continuous caller audio, continuous assistant audio and a
 * barge-in every 5 s. Latencies are serve's own histograms (frame read → frame written), read as
 * bucket upper bounds. Run: see docs/benchmarks.md.
 */
public final class RelayBenchmark {
    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String counts = args.length > 0 ? args[0] : "1,50,200,500";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf("%6s %9s %9s %9s %9s %9s %9s %8s %9s %10s %10s%n", "calls", "up_p50", "up_p99", "up_max",
                "down_p50", "down_p99", "down_max", "lost", "barge_p99", "cpu_ms/s", "heap_KB");
        for (String n : counts.split(",")) {
            run(Integer.parseInt(n.trim()), seconds);
        }
        System.exit(0);
    }

    private static void run(int calls, int seconds) throws Exception {
        FakeRealtimeServer.Options fake = FakeRealtimeServer.Options.defaults().withAudioSpeed(1.0);
        try (ServeHarness h = ServeHarness.start(Map.of("MAX_PARALLEL_CALLS", "0", "MAX_CALL_DURATION", "0"),
                io.voiceorder.app.call.CallTimings.standard(), fake)) {
            for (int i = 0; i < calls * (seconds / 5 + 2); i++) {
                h.openai.script().say(Ulaw.tone(300, 6_000, 0.2), "…");
            }
            System.gc();
            long heapBefore = usedHeap();
            List<TwilioStreamSimulator> sims = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                sims.add(h.call());
                Thread.sleep(5); // a ramp, not a thundering herd
            }
            Thread.sleep(2_000);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1_000);
                if (s % 5 == 2) {
                    sims.forEach(sim -> sim.speak(Ulaw.tone(900, 400, 0.3)));
                }
            }
            long elapsed = System.nanoTime() - t0;
            long cpu = cpuNanos() - cpu0;
            System.gc();
            long heapPerCall = (usedHeap() - heapBefore) / Math.max(1, calls) / 1024;
            long sent = sims.stream().mapToLong(TwilioStreamSimulator::framesSent).sum();
            sims.forEach(TwilioStreamSimulator::sendStop);
            Thread.sleep(1_500);
            sims.forEach(TwilioStreamSimulator::close);
            long received = 0;
            for (FakeRealtimeSession session : h.openai.sessions()) {
                received += session.receivedAudio().length / 160;
            }
            MeterRegistry registry = h.serve.context().getBean(MeterRegistry.class);
            double dropped = registry.find("voiceorder.frames.dropped").counters().stream().mapToDouble(c -> c.count()).sum();
            long lost = Math.max(0, sent - received - (long) dropped);
            HistogramSnapshot up = timer(registry, "voiceorder.relay.latency", "uplink");
            HistogramSnapshot down = timer(registry, "voiceorder.relay.latency", "downlink");
            HistogramSnapshot barge = registry.find("voiceorder.bargein.latency").timer().takeSnapshot();
            System.out.printf("%6d %9s %9s %9.2f %9s %9s %9.2f %8d %9s %10.1f %10d%n", calls,
                    le(up, 0.5), le(up, 0.99), up.max(TimeUnit.MILLISECONDS),
                    le(down, 0.5), le(down, 0.99), down.max(TimeUnit.MILLISECONDS),
                    lost, le(barge, 0.99),
                    cpu / 1e6 / (calls * elapsed / 1e9), heapPerCall);
        }
    }

    private static HistogramSnapshot timer(MeterRegistry r, String name, String direction) {
        Timer t = r.find(name).tag("direction", direction).timer();
        return t.takeSnapshot();
    }

    /** The smallest bucket bound holding the quantile, as "≤x ms". */
    private static String le(HistogramSnapshot s, double q) {
        long total = s.count();
        if (total == 0) {
            return "-";
        }
        for (CountAtBucket b : s.histogramCounts()) {
            if (b.count() >= q * total) {
                return "≤" + trim(b.bucket(TimeUnit.MILLISECONDS));
            }
        }
        return ">250";
    }

    private static String trim(double ms) {
        return ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(ms);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
