package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.metrics.VoiceMetrics;
import io.voiceorder.app.realtime.ClientEvents;
import io.voiceorder.app.realtime.OpenAiHealth;
import io.voiceorder.app.realtime.RealtimeConnector;
import io.voiceorder.app.agent.tools.Toolbox;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.transfer.CallTransfers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every call shares: configuration, the OpenAI connector, the restaurant backend, the tools,
 * metrics, capacity, prompts, and the thread pools — the call workers (where each call's serial
 * executor runs, never blocked), the backend workers (where tools and backend calls may block), and
 * one timer.
 */
@Singleton
public final class CallServices {
    final ServeConfig config;
    final CallTimings timings;
    final RealtimeConnector connector;
    final ClientEvents events;
    final ObjectMapper json;
    final VoiceMetrics metrics;
    final CallRegistry registry;
    final Prompts prompts;
    final OpenAiHealth openAiHealth;
    final ExecutorService workers;
    final ExecutorService backendWorkers;
    final ScheduledExecutorService timer;
    final RestaurantBackend backend;
    final CallTransfers transfers;
    final Toolbox toolbox = new Toolbox();
    final Clock clock = Clock.systemUTC();
    /** Call records being finalized: shutdown waits for them so no record is lost to a stopping pool. */
    final java.util.concurrent.atomic.AtomicInteger finalizing = new java.util.concurrent.atomic.AtomicInteger();

    public CallServices(ServeConfig config, @Nullable CallTimings timings, RealtimeConnector connector, ObjectMapper json,
                        VoiceMetrics metrics, CallRegistry registry, Prompts prompts, OpenAiHealth openAiHealth,
                        RestaurantBackend backend, CallTransfers transfers) {
        this.config = config;
        this.timings = timings != null ? timings : CallTimings.standard();
        this.connector = connector;
        this.json = json;
        this.events = new ClientEvents(json);
        this.metrics = metrics;
        this.registry = registry;
        this.prompts = prompts;
        this.openAiHealth = openAiHealth;
        this.backend = backend;
        this.transfers = transfers;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.workers = Executors.newFixedThreadPool(threads, named("call-worker"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("call-timer"));
        // Bounded: a backend that hangs fills the queue and further calls fail fast instead of piling up.
        ThreadPoolExecutor backendPool = new ThreadPoolExecutor(32, 32, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2048), named("backend-worker"));
        backendPool.allowCoreThreadTimeOut(true);
        this.backendWorkers = backendPool;
    }

    public CallRegistry registry() {
        return registry;
    }

    public VoiceMetrics metrics() {
        return metrics;
    }

    public ObjectMapper json() {
        return json;
    }

    public ServeConfig config() {
        return config;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void shutdown() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (finalizing.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
        backendWorkers.shutdownNow();
        workers.shutdownNow();
    }
}
