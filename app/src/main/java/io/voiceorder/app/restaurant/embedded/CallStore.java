package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Call records (§6.6): created {@code in_progress} at start, written whole at finalize. */
final class CallStore {
    static final String IN_PROGRESS = "in_progress";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Clock clock;

    CallStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    String start(CallStart s) throws SQLException {
        String id = Sql.newId();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO calls (id, restaurant_id, call_sid, stream_sid, mode, direction, caller_number, called_number,
                      customer_id, started_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, s.restaurantId());
                ps.setString(3, s.callSid());
                ps.setString(4, s.streamSid());
                ps.setString(5, s.mode());
                ps.setString(6, s.direction());
                ps.setString(7, Sql.text(s.callerNumber(), 32));
                ps.setString(8, Sql.text(s.calledNumber(), 32));
                ps.setString(9, s.customerId());
                Sql.time(ps, 10, Sql.utc(s.startedAt() != null ? s.startedAt() : clock.instant()));
                ps.setString(11, IN_PROGRESS);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    /** Writes the final record; creates it when start failed (no id) or the row is missing. Returns its id. */
    String finish(CallRecord r) throws SQLException {
        return db.inTransaction(c -> {
            String id = r.id();
            if (id != null && update(c, r) == 1) {
                return id;
            }
            id = id != null ? id : Sql.newId();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO calls (id, restaurant_id, call_sid, stream_sid, mode, direction, caller_number, called_number,
                      customer_id, started_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, r.restaurantId());
                ps.setString(3, r.callSid());
                ps.setString(4, r.streamSid());
                ps.setString(5, r.mode());
                ps.setString(6, r.direction());
                ps.setString(7, Sql.text(r.callerNumber(), 32));
                ps.setString(8, Sql.text(r.calledNumber(), 32));
                ps.setString(9, r.customerId());
                Sql.time(ps, 10, Sql.utc(r.startedAt() != null ? r.startedAt() : clock.instant()));
                ps.setString(11, r.outcome());
                ps.executeUpdate();
            }
            update(c, withId(r, id));
            return id;
        });
    }

    private int update(Connection c, CallRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE calls SET stream_sid = COALESCE(?, stream_sid), customer_id = COALESCE(?, customer_id),
                  ended_at = ?, duration_sec = ?, outcome = ?, end_reason = ?, transcript = ?,
                  input_tokens = ?, output_tokens = ?, input_audio_tokens = ?, output_audio_tokens = ?, cached_input_tokens = ?,
                  cost_ai = ?, cost_telecom = ?, cost_google = ?, cost_currency = ?, ai_model = ?, reconnects = ?, barge_ins = ?,
                  transfer_target = ?, transfer_status = COALESCE(?, transfer_status)
                WHERE id = ?""")) {
            ps.setString(1, r.streamSid());
            ps.setString(2, r.customerId());
            Sql.time(ps, 3, Sql.utc(r.endedAt()));
            ps.setLong(4, r.durationSec());
            ps.setString(5, r.outcome());
            ps.setString(6, r.endReason());
            ps.setString(7, transcriptJson(r.transcript()));
            ps.setLong(8, r.inputTokens());
            ps.setLong(9, r.outputTokens());
            ps.setLong(10, r.inputAudioTokens());
            ps.setLong(11, r.outputAudioTokens());
            ps.setLong(12, r.cachedInputTokens());
            Sql.money(ps, 13, r.costAi());
            Sql.money(ps, 14, r.costTelecom());
            Sql.money(ps, 15, r.costGoogle());
            ps.setString(16, r.costCurrency());
            ps.setString(17, r.aiModel());
            ps.setInt(18, r.reconnects());
            ps.setInt(19, r.bargeIns());
            ps.setString(20, Sql.text(r.transferTarget(), 32));
            ps.setString(21, r.transferStatus());
            ps.setString(22, r.id());
            return ps.executeUpdate();
        }
    }

    /** Sets the transfer status of the newest record of a call sid; false when there is none. */
    boolean updateTransferStatus(String callSid, String status) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE calls SET transfer_status = ? WHERE id =
                      (SELECT id FROM calls WHERE call_sid = ? ORDER BY started_at DESC LIMIT 1)""")) {
                ps.setString(1, status);
                ps.setString(2, callSid);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** At start-up: records left {@code in_progress} by a crash become {@code error} / {@code process_restart}. */
    int closeInterrupted() throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE calls SET outcome = 'error', end_reason = 'process_restart', ended_at = ? WHERE outcome = ?""")) {
                Sql.time(ps, 1, OffsetDateTime.now(clock));
                ps.setString(2, IN_PROGRESS);
                return ps.executeUpdate();
            }
        });
    }

    static String transcriptJson(List<CallRecord.TranscriptLine> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallRecord.TranscriptLine l : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", l.role());
            m.put("content", l.content());
            m.put("timestamp", l.timestamp() == null ? null : l.timestamp().toString());
            if (Boolean.TRUE.equals(l.interrupted())) {
                m.put("interrupted", true);
                m.put("heardMs", l.heardMs());
            }
            out.add(m);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CallRecord withId(CallRecord r, String id) {
        return new CallRecord(id, r.restaurantId(), r.callSid(), r.streamSid(), r.mode(), r.direction(), r.callerNumber(),
                r.calledNumber(), r.customerId(), r.startedAt(), r.endedAt(), r.durationSec(), r.outcome(), r.endReason(),
                r.transcript(), r.inputTokens(), r.outputTokens(), r.inputAudioTokens(), r.outputAudioTokens(),
                r.cachedInputTokens(), r.costAi(), r.costTelecom(), r.costGoogle(), r.costCurrency(), r.aiModel(),
                r.reconnects(), r.bargeIns(), r.transferTarget(), r.transferStatus());
    }

}
