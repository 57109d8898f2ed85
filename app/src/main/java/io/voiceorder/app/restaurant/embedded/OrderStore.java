package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.OrderRef;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders in the embedded database: one transaction stores the order, its lines, the next order
 * number and the customer's stats (serve.md §6.4.2, §7.2.6); look-ups and cancellation only ever
 * see the caller's own orders of the last 24 h.
 */
final class OrderStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECENT = Duration.ofHours(24);
    private static final int MAX_RECENT = 5;

    private final Database db;
    private final Clock clock;

    OrderStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    PlacedOrder place(PricedOrder o) throws SQLException {
        try {
            return db.inTransaction(c -> insert(c, o));
        } catch (SQLException e) {
            // Two first orders of a restaurant may race to create its counter row: the loser retries once.
            if (isUniqueViolation(e)) {
                return db.inTransaction(c -> insert(c, o));
            }
            throw e;
        }
    }

    private PlacedOrder insert(Connection c, PricedOrder o) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int number = nextNumber(c, o.restaurantId());
        String customerId = CustomerStore.recordOrder(c, o, now);
        String id = Sql.newId();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO orders (id, restaurant_id, order_number, call_id, customer_id, customer_name, customer_phone,
                  order_type, delivery_address, delivery_city, delivery_postal_code, subtotal, delivery_fee, total,
                  currency, status, estimated_ready_at, payment_method, notes, source, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, 'phone_ai', ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, o.restaurantId());
            ps.setInt(3, number);
            ps.setString(4, o.callId());
            ps.setString(5, customerId);
            ps.setString(6, Sql.text(o.customerName(), 100));
            ps.setString(7, o.customerPhone());
            ps.setString(8, o.orderType().wire());
            ps.setString(9, Sql.text(o.deliveryAddress(), 200));
            ps.setString(10, Sql.text(o.deliveryCity(), 200));
            ps.setString(11, Sql.text(o.deliveryPostalCode(), 200));
            Sql.money(ps, 12, o.subtotal());
            Sql.money(ps, 13, o.deliveryFee());
            Sql.money(ps, 14, o.total());
            ps.setString(15, o.currency());
            Sql.time(ps, 16, o.estimatedReadyAt());
            ps.setString(17, o.paymentMethod());
            ps.setString(18, Sql.text(o.notes(), 500));
            Sql.time(ps, 19, now);
            Sql.time(ps, 20, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO order_items (id, order_id, line_no, menu_item_id, name, quantity, unit_price, total_price,
                  selected_options, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int lineNo = 1;
            for (PricedOrder.PricedLine line : o.lines()) {
                ps.setString(1, Sql.newId());
                ps.setString(2, id);
                ps.setInt(3, lineNo++);
                ps.setString(4, line.menuItemId());
                ps.setString(5, line.name());
                ps.setInt(6, line.quantity());
                Sql.money(ps, 7, line.unitPrice());
                Sql.money(ps, 8, line.totalPrice());
                ps.setString(9, optionsJson(line.selectedOptions()));
                ps.setString(10, Sql.text(line.notes(), 500));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new PlacedOrder(id, number);
    }

    /** Increments the restaurant's counter in the order's transaction; the row lock serialises concurrent orders. */
    private static int nextNumber(Connection c, String restaurantId) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE order_counters SET last_number = last_number + 1 WHERE restaurant_id = ?")) {
            up.setString(1, restaurantId);
            if (up.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO order_counters (restaurant_id, last_number) VALUES (?, 1)")) {
                    ins.setString(1, restaurantId);
                    ins.executeUpdate();
                    return 1;
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT last_number FROM order_counters WHERE restaurant_id = ?")) {
            q.setString(1, restaurantId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<OrderSummary> recent(String restaurantId, String phone) throws SQLException {
        return db.read(c -> recent(c, restaurantId, phone));
    }

    private List<OrderSummary> recent(Connection c, String restaurantId, String phone) throws SQLException {
        List<OrderSummary> out = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, order_number, status, order_type, total, estimated_ready_at, created_at FROM orders
                WHERE restaurant_id = ? AND customer_phone = ? AND created_at >= ?
                ORDER BY created_at DESC, order_number DESC LIMIT\s""" + MAX_RECENT)) {
            ps.setString(1, restaurantId);
            ps.setString(2, phone);
            Sql.time(ps, 3, OffsetDateTime.now(clock).minus(RECENT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    index.put(rs.getString("id"), out.size());
                    out.add(new OrderSummary(rs.getString("id"), rs.getInt("order_number"), rs.getString("status"),
                            rs.getString("order_type"), rs.getBigDecimal("total"), Sql.time(rs, "estimated_ready_at"),
                            Sql.time(rs, "created_at"), 0, ""));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        // Item count and "2x Margherita, 1x Coca-Cola 33 cl" per order.
        String in = String.join(",", java.util.Collections.nCopies(out.size(), "?"));
        int[] counts = new int[out.size()];
        List<List<String>> parts = new ArrayList<>();
        out.forEach(x -> parts.add(new ArrayList<>()));
        try (PreparedStatement ps = c.prepareStatement("SELECT order_id, quantity, name FROM order_items WHERE order_id IN ("
                + in + ") ORDER BY order_id, line_no")) {
            int i = 1;
            for (String id : index.keySet()) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int at = index.get(rs.getString("order_id"));
                    counts[at] += rs.getInt("quantity");
                    parts.get(at).add(rs.getInt("quantity") + "x " + rs.getString("name"));
                }
            }
        }
        List<OrderSummary> full = new ArrayList<>();
        for (int k = 0; k < out.size(); k++) {
            OrderSummary s = out.get(k);
            full.add(new OrderSummary(s.id(), s.orderNumber(), s.status(), s.orderType(), s.total(), s.estimatedReadyAt(),
                    s.createdAt(), counts[k], String.join(", ", parts.get(k))));
        }
        return full;
    }

    /** Cancels one of the phone's recent orders, looked up afresh in the same transaction. */
    void cancel(String restaurantId, String phone, OrderRef ref) throws SQLException, BackendException {
        BackendException refused = db.inTransaction(c -> {
            OrderSummary target = null;
            for (OrderSummary s : recent(c, restaurantId, phone)) {
                boolean match = ref.orderId() != null ? s.id().equals(ref.orderId())
                        : ref.orderNumber() != null && ref.orderNumber().equals(s.orderNumber());
                if (match) {
                    target = s;
                    break;
                }
            }
            if (target == null) {
                return new BackendException(BackendException.Kind.NOT_FOUND, "no such order among the caller's recent orders");
            }
            if (!target.status().equals("pending") && !target.status().equals("confirmed")) {
                return new BackendException(BackendException.Kind.NOT_ALLOWED, "order is " + target.status(),
                        Map.of("status", target.status()), null);
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE orders SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'confirmed')")) {
                Sql.time(ps, 1, now);
                Sql.time(ps, 2, now);
                ps.setString(3, target.id());
                if (ps.executeUpdate() == 0) {
                    return new BackendException(BackendException.Kind.NOT_ALLOWED, "order changed meanwhile",
                            Map.of("status", "unknown"), null);
                }
            }
            return null;
        });
        if (refused != null) {
            throw refused;
        }
    }

    private static String optionsJson(List<PricedOrder.SelectedOption> options) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PricedOrder.SelectedOption o : options) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("choice", o.choice());
            m.put("extra_price", o.extraPrice());
            list.add(m);
        }
        try {
            return JSON.writeValueAsString(list);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        // 23505: unique violation on both PostgreSQL and H2.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
