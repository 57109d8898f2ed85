package io.voiceorder.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code voiceorder_*} series of {@code /metrics}. Meters are created once and cached, so
 * recording on the audio path costs a map look-up at most.
 */
@Singleton
public final class VoiceMetrics {
    private static final Duration[] LATENCY_BUCKETS = durations(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25);
    private static final Duration[] SLOW_BUCKETS = durations(0.1, 0.25, 0.5, 1, 2, 5, 10);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> activeByMode = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer uplink;
    private final Timer downlink;
    private final Timer bargeInLatency;
    private final Timer timeToFirstAudio;
    private final DistributionSummary bargeInUnheard;
    private final Counter bargeIns;

    public VoiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.uplink = latency("uplink");
        this.downlink = latency("downlink");
        this.bargeInLatency = Timer.builder("voiceorder.bargein.latency")
                .description("speech_started read to clear written")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        this.timeToFirstAudio = Timer.builder("voiceorder.time.to.first.audio")
                .description("start to first assistant media")
                .serviceLevelObjectives(SLOW_BUCKETS).register(registry);
        this.bargeInUnheard = DistributionSummary.builder("voiceorder.bargein.unheard")
                .baseUnit("seconds").description("assistant audio discarded per barge-in")
                .serviceLevelObjectives(0.1, 0.5, 1, 2, 5, 10).register(registry);
        this.bargeIns = Counter.builder("voiceorder.bargeins").description("barge-ins that sent clear").register(registry);
        for (String mode : new String[] {"twilio", "bridge"}) {
            AtomicInteger gauge = new AtomicInteger();
            activeByMode.put(mode, gauge);
            registry.gauge("voiceorder.calls.active", io.micrometer.core.instrument.Tags.of("mode", mode), gauge);
        }
        // Series that must be visible before the first call happens.
        for (String reason : new String[] {"before_start", "before_session", "muted", "malformed", "reconnect_overflow"}) {
            counter("voiceorder.frames.dropped", "reason", reason);
        }
        counter("voiceorder.calls", "outcome", "abandoned");
        counter("voiceorder.requests.rejected", "endpoint", "media-stream", "reason", "signature");
        counter("voiceorder.requests.rejected", "endpoint", "incoming-call", "reason", "signature");
    }

    private Timer latency(String direction) {
        return Timer.builder("voiceorder.relay.latency")
                .description("uplink: caller frame read to append written; downlink: audio delta read to first media written")
                .tag("direction", direction)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private static Duration[] durations(double... seconds) {
        Duration[] result = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            result[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        }
        return result;
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }

    public void callStarted(String mode) {
        activeByMode.get(mode).incrementAndGet();
    }

    public void callEnded(String mode, String outcome) {
        activeByMode.get(mode).decrementAndGet();
        counter("voiceorder.calls", "outcome", outcome).increment();
    }

    /** A call refused before it became active (busy, blocked). */
    public void callRefused(String outcome) {
        counter("voiceorder.calls", "outcome", outcome).increment();
    }

    public void uplink(long nanos) {
        uplink.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void downlink(long nanos) {
        downlink.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void bargeIn(long latencyNanos, double unheardSeconds) {
        bargeIns.increment();
        bargeInLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
        bargeInUnheard.record(unheardSeconds);
    }

    public void firstAudio(long nanosSinceStart) {
        timeToFirstAudio.record(nanosSinceStart, TimeUnit.NANOSECONDS);
    }

    /** A replaced OpenAI session: {@code socket_lost} or {@code rollover}. */
    public void openaiReconnect(String reason) {
        counter("voiceorder.openai.reconnects", "reason", reason).increment();
    }

    public void openaiFailure(String reason) {
        counter("voiceorder.openai.failures", "reason", reason).increment();
    }

    public void openaiError(String code) {
        counter("voiceorder.openai.errors", "code", code).increment();
    }

    public void tokens(String kind, long count) {
        if (count > 0) {
            counter("voiceorder.openai.tokens", "kind", kind).increment(count);
        }
    }

    public void toolCall(String tool, boolean success, long nanos) {
        counter("voiceorder.tool.calls", "tool", tool, "result", success ? "success" : "failure").increment();
        Timer.builder("voiceorder.tool.duration").tag("tool", tool).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Cost accrued, in the call's cost currency ({@code component} {@code ai} or {@code telecom}). */
    public void cost(String component, String currency, double amount) {
        if (amount > 0) {
            counter("voiceorder.cost", "component", component, "currency", currency).increment(amount);
        }
    }

    public void rejected(String endpoint, String reason) {
        counter("voiceorder.requests.rejected", "endpoint", endpoint, "reason", reason).increment();
    }

    public void frameDropped(String reason) {
        counter("voiceorder.frames.dropped", "reason", reason).increment();
    }
}
