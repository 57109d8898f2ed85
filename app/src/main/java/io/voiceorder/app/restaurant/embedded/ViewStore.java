package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.restaurant.RecordViews.CallView;
import io.voiceorder.app.restaurant.RecordViews.OrderLineView;
import io.voiceorder.app.restaurant.RecordViews.OrderView;
import io.voiceorder.app.restaurant.RecordViews.Query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads orders (with lines) and call records for the read-only views, newest first. */
final class ViewStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;

    ViewStore(Database db) {
        this.db = db;
    }

    List<OrderView> orders(Query q) throws SQLException {
        return db.read(c -> {
            List<OrderView> out = new ArrayList<>();
            try (PreparedStatement ps = filtered(c, "SELECT * FROM orders", "created_at", q)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(order(rs, List.of()));
                    }
                }
            }
            List<OrderView> full = new ArrayList<>();
            for (OrderView o : out) {
                full.add(withLines(c, o));
            }
            return full;
        });
    }

    Optional<OrderView> order(String id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM orders WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(withLines(c, order(rs, List.of())));
                }
            }
        });
    }

    List<CallView> calls(Query q) throws SQLException {
        return db.read(c -> {
            List<CallView> out = new ArrayList<>();
            try (PreparedStatement ps = filtered(c, "SELECT * FROM calls", "started_at", q)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(call(rs));
                    }
                }
            }
            return out;
        });
    }

    Optional<CallView> call(String id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM calls WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(call(rs)) : Optional.empty();
                }
            }
        });
    }

    private static PreparedStatement filtered(Connection c, String select, String timeColumn, Query q) throws SQLException {
        StringBuilder sql = new StringBuilder(select).append(" WHERE 1 = 1");
        if (q.restaurantId() != null) {
            sql.append(" AND restaurant_id = ?");
        }
        if (q.since() != null) {
            sql.append(" AND ").append(timeColumn).append(" >= ?");
        }
        sql.append(" ORDER BY ").append(timeColumn).append(" DESC, id DESC LIMIT ").append(q.limit());
        PreparedStatement ps = c.prepareStatement(sql.toString());
        int i = 1;
        if (q.restaurantId() != null) {
            ps.setString(i++, q.restaurantId());
        }
        if (q.since() != null) {
            Sql.time(ps, i, Sql.utc(q.since()));
        }
        return ps;
    }

    private static OrderView order(ResultSet rs, List<OrderLineView> lines) throws SQLException {
        return new OrderView(rs.getString("id"), rs.getString("restaurant_id"), rs.getInt("order_number"), rs.getString("call_id"),
                rs.getString("customer_id"), rs.getString("customer_name"), rs.getString("customer_phone"), rs.getString("order_type"),
                rs.getString("delivery_address"), rs.getString("delivery_city"), rs.getString("delivery_postal_code"),
                rs.getBigDecimal("subtotal"), rs.getBigDecimal("delivery_fee"), rs.getBigDecimal("total"), rs.getString("currency"),
                rs.getString("status"), instant(rs, "estimated_ready_at"), rs.getString("payment_method"), rs.getString("notes"),
                rs.getString("source"), instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "cancelled_at"), lines);
    }

    private static OrderView withLines(Connection c, OrderView o) throws SQLException {
        List<OrderLineView> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM order_items WHERE order_id = ? ORDER BY line_no")) {
            ps.setString(1, o.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new OrderLineView(rs.getInt("line_no"), rs.getString("menu_item_id"), rs.getString("name"),
                            rs.getInt("quantity"), rs.getBigDecimal("unit_price"), rs.getBigDecimal("total_price"),
                            json(rs.getString("selected_options")), rs.getString("notes")));
                }
            }
        }
        return new OrderView(o.id(), o.restaurantId(), o.orderNumber(), o.callId(), o.customerId(), o.customerName(),
                o.customerPhone(), o.orderType(), o.deliveryAddress(), o.deliveryCity(), o.deliveryPostalCode(), o.subtotal(),
                o.deliveryFee(), o.total(), o.currency(), o.status(), o.estimatedReadyAt(), o.paymentMethod(), o.notes(), o.source(),
                o.createdAt(), o.updatedAt(), o.cancelledAt(), lines);
    }

    private static CallView call(ResultSet rs) throws SQLException {
        int duration = rs.getInt("duration_sec");
        Integer durationSec = rs.wasNull() ? null : duration;
        return new CallView(rs.getString("id"), rs.getString("restaurant_id"), rs.getString("call_sid"), rs.getString("stream_sid"),
                rs.getString("mode"), rs.getString("direction"), rs.getString("caller_number"), rs.getString("called_number"),
                rs.getString("customer_id"), instant(rs, "started_at"), instant(rs, "ended_at"), durationSec, rs.getString("outcome"),
                rs.getString("end_reason"), json(rs.getString("transcript")), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("input_audio_tokens"), rs.getLong("output_audio_tokens"), rs.getLong("cached_input_tokens"),
                rs.getBigDecimal("cost_ai"), rs.getBigDecimal("cost_telecom"), rs.getBigDecimal("cost_google"),
                rs.getString("cost_currency"), rs.getString("ai_model"), rs.getInt("reconnects"), rs.getInt("barge_ins"),
                rs.getString("transfer_target"), rs.getString("transfer_status"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = Sql.time(rs, column);
        return t == null ? null : t.toInstant();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return JSON.createArrayNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.createArrayNode();
        }
    }
}
