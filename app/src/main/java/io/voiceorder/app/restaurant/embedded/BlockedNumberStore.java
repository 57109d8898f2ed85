package io.voiceorder.app.restaurant.embedded;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;

/** Numbers blocked in the database, added to the restaurant file's {@code blocked_numbers} (§9.1). */
final class BlockedNumberStore {
    private final Database db;
    private final Clock clock;

    BlockedNumberStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    boolean contains(String restaurantId, String phone) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM blocked_numbers WHERE restaurant_id = ? AND phone = ?")) {
                ps.setString(1, restaurantId);
                ps.setString(2, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Blocks a number (staff tooling and tests); blocking it twice keeps one row. */
    void add(String restaurantId, String phone, String reason) throws SQLException {
        if (contains(restaurantId, phone)) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO blocked_numbers (restaurant_id, phone, reason, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, restaurantId);
                ps.setString(2, phone);
                ps.setString(3, Sql.text(reason, 200));
                Sql.time(ps, 4, OffsetDateTime.now(clock));
                return ps.executeUpdate();
            }
        });
    }
}
