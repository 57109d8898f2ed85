package io.voiceorder.bridge.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every call of the last 30 s and every live one, by sid; and the slots of {@code --max-concurrent-calls}
 * (calls holding a SIP leg), taken before a call gets a record.
 */
public final class CallRegistry {
    public static final Duration KEEP_ENDED = Duration.ofSeconds(30);

    private final int maxConcurrent;
    private final Clock clock;
    private final Map<String, CallRecord> records = new ConcurrentHashMap<>();
    private final Map<String, String> sidByCallId = new ConcurrentHashMap<>();
    private int legs;

    public CallRegistry(int maxConcurrent, Clock clock) {
        this.maxConcurrent = maxConcurrent;
        this.clock = clock;
    }

    /** Takes one slot; false when {@code --max-concurrent-calls} (> 0) are already held. */
    public synchronized boolean tryAcquireLeg() {
        if (maxConcurrent > 0 && legs >= maxConcurrent) {
            return false;
        }
        legs++;
        return true;
    }

    public synchronized void releaseLeg() {
        if (legs > 0) {
            legs--;
        }
    }

    public synchronized int legsInUse() {
        return legs;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public void add(CallRecord record, String sipCallId) {
        purge();
        records.put(record.sid(), record);
        if (sipCallId != null) {
            sidByCallId.put(sipCallId, record.sid());
        }
    }

    public Optional<CallRecord> find(String sid) {
        purge();
        return Optional.ofNullable(records.get(sid));
    }

    /** Another SIP Call-ID of a call (a bridged transfer's second leg), so its traces carry the call's sid. */
    public void alias(String sipCallId, String sid) {
        if (records.containsKey(sid)) {
            sidByCallId.put(sipCallId, sid);
        }
    }

    /** The call sid of a SIP Call-ID, for log context and SIP traces. */
    public String sidOfCallId(String callId) {
        return sidByCallId.get(callId);
    }

    /** Live calls and calls ended less than 30 s ago, newest first. */
    public List<CallRecord> list() {
        purge();
        return records.values().stream().sorted(Comparator.comparing(CallRecord::createdAt).reversed()).toList();
    }

    public long live() {
        return records.values().stream().filter(r -> !r.status().isFinal()).count();
    }

    private void purge() {
        Instant limit = clock.instant().minus(KEEP_ENDED);
        records.values().removeIf(r -> r.endedAt().map(at -> at.isBefore(limit)).orElse(false));
        sidByCallId.values().removeIf(sid -> !records.containsKey(sid));
    }
}
