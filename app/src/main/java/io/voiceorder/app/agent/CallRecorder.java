package io.voiceorder.app.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.StaffMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Writes a call's end (§6.5): the automatic message when one is due, then the record through
 * {@code finishCall}, retried once; a record that still cannot be saved is logged whole as one
 * {@code ERROR} line, so nothing is lost. Runs on the backend workers; serve's shutdown waits for it.
 */
final class CallRecorder {
    static final Duration RECORD_ID_WAIT = Duration.ofSeconds(5);
    private static final int AUTOMATIC_MESSAGE_LINES = 6;
    private static final int AUTOMATIC_MESSAGE_LINE_CHARS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CallRecorder.class);

    private final CallServices services;

    CallRecorder(CallServices services) {
        this.services = services;
    }

    /**
     * @param recordId      the id {@code startCall} returned (waited for up to 5 s; null when creating it failed)
     * @param record        the record for that id
     * @param automaticText the automatic message, or null when none is due
     * @param done          run once everything is written or given up
     */
    void write(CompletableFuture<String> recordId, Function<String, CallRecord> record, String automaticText,
               String callSid, Runnable done) {
        recordId.completeOnTimeout(null, RECORD_ID_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((id, e) -> {
            CallRecord finalRecord = record.apply(e == null ? id : null);
            try {
                services.backendWorkers.execute(() -> {
                    try {
                        writeNow(finalRecord, automaticText, callSid);
                    } finally {
                        done.run();
                    }
                });
            } catch (RejectedExecutionException rejected) {
                done.run();
                LOG.error("call record not saved (serve stopping): {}", json(finalRecord));
            }
        });
    }

    private void writeNow(CallRecord record, String automaticText, String callSid) {
        MDC.put("callSid", callSid);
        try {
            if (automaticText != null) {
                try {
                    services.backend.leaveMessage(new StaffMessage(record.restaurantId(), record.id(), record.callerNumber(),
                            null, automaticText, "info_request", false));
                } catch (BackendException | RuntimeException e) {
                    LOG.warn("automatic message not saved ({})", e.getClass().getSimpleName());
                }
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    services.backend.finishCall(record);
                    return;
                } catch (BackendException | RuntimeException e) {
                    String why = e instanceof BackendException b ? b.kind().name().toLowerCase(java.util.Locale.ROOT)
                            : e.getClass().getSimpleName();
                    if (attempt >= 2) {
                        LOG.error("call record not saved ({}): {}", why, json(record));
                        return;
                    }
                    LOG.warn("call record not saved ({}): retrying in 1 s", why);
                    if (!pause()) {
                        LOG.error("call record not saved (interrupted): {}", json(record));
                        return;
                    }
                }
            }
        } finally {
            MDC.remove("callSid");
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String json(CallRecord record) {
        try {
            return services.json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            return String.valueOf(record);
        }
    }

    /** The transcript as the record stores it. */
    static List<CallRecord.TranscriptLine> recordLines(List<Transcript.Line> lines) {
        List<CallRecord.TranscriptLine> result = new ArrayList<>();
        for (Transcript.Line l : lines) {
            result.add(new CallRecord.TranscriptLine(l.role(), l.content(), l.timestamp(),
                    l.interrupted() ? Boolean.TRUE : null, l.heardMs() == null ? null : l.heardMs().intValue()));
        }
        return result;
    }

    /** §6.5: a header in the call's language and the last 6 transcript lines, each cut to 100 characters. */
    static String automaticMessage(List<Transcript.Line> lines, AgentMessages m) {
        StringBuilder b = new StringBuilder(m.get("automatic_message.header"));
        for (Transcript.Line l : lines.subList(Math.max(0, lines.size() - AUTOMATIC_MESSAGE_LINES), lines.size())) {
            String who = m.get("user".equals(l.role()) ? "automatic_message.caller" : "automatic_message.assistant");
            String text = l.content().length() > AUTOMATIC_MESSAGE_LINE_CHARS
                    ? l.content().substring(0, AUTOMATIC_MESSAGE_LINE_CHARS) : l.content();
            b.append('\n').append(who).append(": ").append(text);
        }
        return b.toString();
    }
}
