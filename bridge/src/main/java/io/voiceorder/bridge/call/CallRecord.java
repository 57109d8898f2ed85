package io.voiceorder.bridge.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The observable facts of one call, shared by its state machine (writer) and the API and callbacks
 * (readers). The final status and end reason are set exactly once.
 */
public final class CallRecord {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String sid;
    private final String direction;
    private final String source;
    private final String from;
    private final String to;
    private final Instant createdAt;
    private final Clock clock;
    private final Map<String, String> customParams;
    private CallStatus status;
    private Instant answeredAt;
    private Instant endedAt;
    private Integer sipCode;
    private EndReason endReason;
    private String callbackUrl;
    private volatile String device;
    private Supplier<Map<String, Object>> media = () -> null;
    private TransferView transfer;

    public CallRecord(String sid, String direction, String source, String from, String to, CallStatus initial,
                      Map<String, String> customParams, Clock clock) {
        this.sid = sid;
        this.direction = direction;
        this.source = source;
        this.from = from;
        this.to = to;
        this.status = initial;
        this.clock = clock;
        this.createdAt = clock.instant();
        this.customParams = new LinkedHashMap<>(customParams);
    }

    public static String iso(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant);
    }

    public String sid() {
        return sid;
    }

    /** The device user of a gateway call (inbound from it, or outbound through it); null otherwise. */
    public String device() {
        return device;
    }

    public void device(String user) {
        this.device = user;
    }

    public String direction() {
        return direction;
    }

    public String source() {
        return source;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public synchronized CallStatus status() {
        return status;
    }

    public synchronized Map<String, String> customParams() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(customParams));
    }

    public synchronized void mergeParams(Map<String, String> params) {
        customParams.putAll(params);
    }

    public synchronized Optional<String> callbackUrl() {
        return Optional.ofNullable(callbackUrl);
    }

    public synchronized void callbackUrl(String url) {
        this.callbackUrl = url;
    }

    public synchronized void media(Supplier<Map<String, Object>> stats) {
        this.media = stats;
    }

    /** The latest transfer of this call (bridge.md §3.1 {@code transfer}). */
    public synchronized void transfer(TransferView view) {
        this.transfer = view;
    }

    public synchronized Optional<TransferView> transfer() {
        return Optional.ofNullable(transfer);
    }

    /** Moves a live call forward; ignored once the call has ended. */
    public synchronized boolean advance(CallStatus next) {
        if (status.isFinal() || next.isFinal()) {
            return false;
        }
        if (next == CallStatus.ANSWERED && answeredAt == null) {
            answeredAt = clock.instant();
        }
        status = next;
        return true;
    }

    /** Ends the call: true only the first time, so the final status and end reason are set exactly once. */
    public synchronized boolean end(CallStatus finalStatus, EndReason reason, Integer code) {
        if (status.isFinal()) {
            return false;
        }
        status = finalStatus;
        endReason = reason;
        if (code != null) {
            sipCode = code;
        }
        endedAt = clock.instant();
        return true;
    }

    public synchronized void sipCode(int code) {
        this.sipCode = code;
    }

    public synchronized boolean answered() {
        return answeredAt != null;
    }

    public synchronized Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public synchronized CallView view() {
        long duration = answeredAt == null ? 0
                : Duration.between(answeredAt, endedAt != null ? endedAt : clock.instant()).toSeconds();
        Map<String, Object> mediaStats;
        try {
            mediaStats = media.get();
        } catch (RuntimeException e) {
            mediaStats = null;
        }
        return new CallView(sid, direction, source, from, to, status.json(), iso(createdAt), iso(answeredAt), iso(endedAt),
                duration, Collections.unmodifiableMap(new LinkedHashMap<>(customParams)), device, sipCode,
                endReason == null ? null : endReason.json(), transfer, mediaStats);
    }
}
