package io.voiceorder.app.call;

import io.voiceorder.app.config.ServeConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capacity and the set of live calls. {@code MAX_PARALLEL_CALLS} counts calls between {@code start}
 * and their end, plus slots reserved by the webhook for 15 s until their stream starts.
 * Admission decisions are rare (once per call), so they simply synchronize on the registry.
 */
@Singleton
public final class CallRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(CallRegistry.class);
    /** A call ended for shutdown plays out what it already sent (capped at 5 s) and closes: this bounds the wait. */
    private static final Duration END_FOR_SHUTDOWN_CAP = Duration.ofSeconds(8);
    static final long RESERVATION_NANOS = Duration.ofSeconds(15).toNanos();

    /** A call the registry can end at shutdown. */
    public interface LiveCall {
        /** Ends the call with {@code endReason} {@code shutdown}, once the assistant audio already sent has played (capped). */
        void endForShutdown();
    }

    private final int max;
    private final Set<LiveCall> live = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> reservedUntil = new HashMap<>();
    private int waitingForStart;
    private volatile boolean draining;

    public CallRegistry(ServeConfig config) {
        this.max = config.maxParallelCalls();
    }

    private boolean limited() {
        return max > 0;
    }

    /** Webhook: reserves a slot for {@code callSid}, or refuses when serve is full or draining. */
    public synchronized boolean reserve(String callSid) {
        expireReservations();
        if (draining || (limited() && live.size() + reservedUntil.size() >= max)) {
            return false;
        }
        reservedUntil.put(callSid, System.nanoTime() + RESERVATION_NANOS);
        return true;
    }

    /**
     * Webhook: whether a new call would be admitted now, without reserving anything (an automatic
     * transfer needs no stream, so it takes no slot, but a full house still answers busy first).
     */
    public synchronized boolean hasRoom() {
        expireReservations();
        return !draining && !(limited() && live.size() + reservedUntil.size() >= max);
    }

    /** Stream upgrade: admitted unless calls plus streams waiting for {@code start} reach the limit. */
    public synchronized boolean admitUpgrade() {
        if (draining || (limited() && live.size() + waitingForStart >= max)) {
            return false;
        }
        waitingForStart++;
        return true;
    }

    /** An admitted stream ended before becoming a call. */
    public synchronized void upgradeAbandoned() {
        waitingForStart = Math.max(0, waitingForStart - 1);
    }

    /**
     * {@code start} arrived: the stream becomes a live call if there is room (its own reserved slot
     * counts as room).
     */
    public synchronized boolean activate(LiveCall call, String callSid) {
        waitingForStart = Math.max(0, waitingForStart - 1);
        expireReservations();
        boolean hadSlot = reservedUntil.remove(callSid) != null;
        if (draining || (limited() && !hadSlot && live.size() + reservedUntil.size() >= max)) {
            return false;
        }
        live.add(call);
        return true;
    }

    public void release(LiveCall call) {
        live.remove(call);
    }

    private void expireReservations() {
        long now = System.nanoTime();
        reservedUntil.values().removeIf(until -> until - now < 0);
    }

    public int activeCalls() {
        return live.size();
    }

    public int maxParallelCalls() {
        return max;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Shutdown: refuse new calls, give live ones {@code grace} to end on their own, end the rest.
     */
    public void drain(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        if (!live.isEmpty()) {
            LOG.info("draining: {} live call(s), up to {} s to finish", live.size(), grace.toSeconds());
        }
        while (!live.isEmpty() && System.nanoTime() - deadline < 0) {
            sleep(50);
        }
        List<LiveCall> remaining = new ArrayList<>(live);
        remaining.forEach(LiveCall::endForShutdown);
        // Each remaining call first lets the audio already sent play out (at most 5 s), then closes.
        long hardDeadline = System.nanoTime() + END_FOR_SHUTDOWN_CAP.toNanos();
        while (!live.isEmpty() && System.nanoTime() - hardDeadline < 0) {
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
