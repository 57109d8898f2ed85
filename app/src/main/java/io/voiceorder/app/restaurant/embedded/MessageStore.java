package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.StaffMessage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;

/** Messages left for staff (tool and automatic messages). */
final class MessageStore {
    private final Database db;
    private final Clock clock;

    MessageStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    String leave(StaffMessage m) throws SQLException {
        String id = Sql.newId();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO messages (id, restaurant_id, call_id, caller_phone, caller_name, content, category,
                      is_urgent, is_read, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, m.restaurantId());
                ps.setString(3, m.callId());
                ps.setString(4, m.callerPhone());
                ps.setString(5, Sql.text(m.callerName(), 100));
                ps.setString(6, Sql.text(m.content(), 4000));
                ps.setString(7, m.category());
                ps.setBoolean(8, m.urgent());
                Sql.time(ps, 9, OffsetDateTime.now(clock));
                return ps.executeUpdate();
            }
        });
        return id;
    }
}
