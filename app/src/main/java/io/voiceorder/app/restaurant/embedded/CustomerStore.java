package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.AgentConfig.CustomerContext;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import io.voiceorder.app.restaurant.PricedOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Customers keyed by (restaurant, phone): upserts, order stats, and the caller's context for the prompt. */
final class CustomerStore {
    private final Database db;
    private final Clock clock;

    CustomerStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    Optional<CustomerContext> context(String restaurantId, String phone) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, first_name, total_orders, delivery_address, delivery_city, delivery_postal_code,
                      delivery_lat, delivery_lng FROM customers WHERE restaurant_id = ? AND phone = ?""")) {
                ps.setString(1, restaurantId);
                ps.setString(2, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new CustomerContext(rs.getString("id"), rs.getString("first_name"),
                            rs.getInt("total_orders"), rs.getString("delivery_address"), rs.getString("delivery_city"),
                            rs.getString("delivery_postal_code"), Sql.nullableDouble(rs, "delivery_lat"),
                            Sql.nullableDouble(rs, "delivery_lng")));
                }
            }
        });
    }

    /** Upsert by (restaurant, phone); blank fields keep stored values; a new address clears coordinates. */
    Customer save(String restaurantId, String phone, CustomerUpdate u) throws SQLException {
        try {
            return db.inTransaction(c -> upsert(c, restaurantId, phone, u));
        } catch (SQLException e) {
            if (OrderStore.isUniqueViolation(e)) {
                // Created meanwhile by another call of the same number: now it is an update.
                return db.inTransaction(c -> upsert(c, restaurantId, phone, u));
            }
            throw e;
        }
    }

    private Customer upsert(Connection c, String restaurantId, String phone, CustomerUpdate u) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String id = findId(c, restaurantId, phone);
        String firstName = Sql.text(u.firstName(), 100);
        String address = Sql.text(u.deliveryAddress(), 200);
        if (id == null) {
            id = Sql.newId();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO customers (id, restaurant_id, phone, first_name, delivery_address, delivery_city,
                      delivery_postal_code, delivery_notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, restaurantId);
                ps.setString(3, phone);
                ps.setString(4, firstName);
                ps.setString(5, address);
                ps.setString(6, Sql.text(u.deliveryCity(), 200));
                ps.setString(7, Sql.text(u.deliveryPostalCode(), 200));
                ps.setString(8, Sql.text(u.deliveryNotes(), 200));
                Sql.time(ps, 9, now);
                Sql.time(ps, 10, now);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE customers SET
                      first_name = COALESCE(?, first_name),
                      delivery_lat = CASE WHEN CAST(? AS VARCHAR(200)) IS NOT NULL AND (delivery_address IS NULL OR delivery_address <> CAST(? AS VARCHAR(200))) THEN NULL ELSE delivery_lat END,
                      delivery_lng = CASE WHEN CAST(? AS VARCHAR(200)) IS NOT NULL AND (delivery_address IS NULL OR delivery_address <> CAST(? AS VARCHAR(200))) THEN NULL ELSE delivery_lng END,
                      delivery_address = COALESCE(?, delivery_address),
                      delivery_city = COALESCE(?, delivery_city),
                      delivery_postal_code = COALESCE(?, delivery_postal_code),
                      delivery_notes = COALESCE(?, delivery_notes),
                      updated_at = ?
                    WHERE id = ?""")) {
                ps.setString(1, firstName);
                ps.setString(2, address);
                ps.setString(3, address);
                ps.setString(4, address);
                ps.setString(5, address);
                ps.setString(6, address);
                ps.setString(7, Sql.text(u.deliveryCity(), 200));
                ps.setString(8, Sql.text(u.deliveryPostalCode(), 200));
                ps.setString(9, Sql.text(u.deliveryNotes(), 200));
                Sql.time(ps, 10, now);
                ps.setString(11, id);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, phone, first_name, delivery_address, delivery_city, delivery_postal_code, total_orders
                FROM customers WHERE id = ?""")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Customer(rs.getString("id"), rs.getString("phone"), rs.getString("first_name"),
                        rs.getString("delivery_address"), rs.getString("delivery_city"),
                        rs.getString("delivery_postal_code"), rs.getInt("total_orders"));
            }
        }
    }

    /**
     * Inside an order's transaction: the customer's {@code total_orders} + 1, {@code total_spent} + total,
     * {@code last_order_at}; creates the customer if needed. Returns its id, or null for an order without phone.
     */
    static String recordOrder(Connection c, PricedOrder o, OffsetDateTime now) throws SQLException {
        if (o.customerPhone() == null || o.customerPhone().isBlank()) {
            return o.customerId();
        }
        String id = findId(c, o.restaurantId(), o.customerPhone());
        if (id == null) {
            id = Sql.newId();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO customers (id, restaurant_id, phone, first_name, delivery_address, delivery_city,
                      delivery_postal_code, total_orders, total_spent, last_order_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, o.restaurantId());
                ps.setString(3, o.customerPhone());
                ps.setString(4, Sql.text(o.customerName(), 100));
                ps.setString(5, Sql.text(o.deliveryAddress(), 200));
                ps.setString(6, Sql.text(o.deliveryCity(), 200));
                ps.setString(7, Sql.text(o.deliveryPostalCode(), 200));
                Sql.money(ps, 8, o.total());
                Sql.time(ps, 9, now);
                Sql.time(ps, 10, now);
                Sql.time(ps, 11, now);
                ps.executeUpdate();
            }
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE customers SET total_orders = total_orders + 1, total_spent = total_spent + ?,
                  last_order_at = ?, updated_at = ? WHERE id = ?""")) {
            Sql.money(ps, 1, o.total());
            Sql.time(ps, 2, now);
            Sql.time(ps, 3, now);
            ps.setString(4, id);
            ps.executeUpdate();
        }
        return id;
    }

    private static String findId(Connection c, String restaurantId, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM customers WHERE restaurant_id = ? AND phone = ?")) {
            ps.setString(1, restaurantId);
            ps.setString(2, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
