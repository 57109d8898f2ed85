package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.PlacedReservation;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ReservationSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reservations in the embedded database. Capacity is re-checked inside the storing transaction,
 * and reservations of one restaurant are stored one at a time, so two callers cannot both take the
 * last seats.
 */
final class ReservationStore {
    private static final int MAX_UPCOMING = 5;

    private final Database db;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ReservationStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Seats of pending/confirmed reservations overlapping [start, end). */
    int seatsTaken(String restaurantId, OffsetDateTime start, OffsetDateTime end) throws SQLException {
        return db.read(c -> seatsTaken(c, restaurantId, start, end));
    }

    private static int seatsTaken(Connection c, String restaurantId, OffsetDateTime start, OffsetDateTime end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT COALESCE(SUM(party_size), 0) FROM reservations
                WHERE restaurant_id = ? AND status IN ('pending', 'confirmed') AND reservation_time < ? AND end_time > ?""")) {
            ps.setString(1, restaurantId);
            Sql.time(ps, 2, end);
            Sql.time(ps, 3, start);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    PlacedReservation place(ReservationRequest r, RestaurantDefinition.Reservations terms, String customerId)
            throws SQLException, BackendException {
        OffsetDateTime start = r.reservationTime();
        OffsetDateTime end = start.plusMinutes(terms.avgMealDurationMin());
        ReentrantLock lock = locks.computeIfAbsent(r.restaurantId(), k -> new ReentrantLock());
        lock.lock();
        try {
            Object result = db.inTransaction(c -> {
                int free = terms.totalSeats() - seatsTaken(c, r.restaurantId(), start, end);
                if (free < r.partySize()) {
                    return new BackendException(BackendException.Kind.NO_CAPACITY, "not enough seats",
                            Map.of("seatsAvailable", Math.max(0, free)), null);
                }
                OffsetDateTime now = OffsetDateTime.now(clock);
                String id = Sql.newId();
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO reservations (id, restaurant_id, call_id, customer_id, customer_name, customer_phone,
                          party_size, reservation_time, end_time, status, seating_preference, notes, source, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, 'phone_ai', ?, ?)""")) {
                    ps.setString(1, id);
                    ps.setString(2, r.restaurantId());
                    ps.setString(3, r.callId());
                    ps.setString(4, customerId);
                    ps.setString(5, Sql.text(r.customerName(), 100));
                    ps.setString(6, r.customerPhone());
                    ps.setInt(7, r.partySize());
                    Sql.time(ps, 8, start);
                    Sql.time(ps, 9, end);
                    ps.setString(10, r.seatingPreference());
                    ps.setString(11, Sql.text(r.notes(), 500));
                    Sql.time(ps, 12, now);
                    Sql.time(ps, 13, now);
                    ps.executeUpdate();
                }
                return new PlacedReservation(id, start, end);
            });
            if (result instanceof BackendException refused) {
                throw refused;
            }
            return (PlacedReservation) result;
        } finally {
            lock.unlock();
        }
    }

    List<ReservationSummary> upcoming(String restaurantId, String phone, ZoneId zone) throws SQLException {
        return db.read(c -> upcoming(c, restaurantId, phone, zone));
    }

    private List<ReservationSummary> upcoming(Connection c, String restaurantId, String phone, ZoneId zone) throws SQLException {
        OffsetDateTime startOfToday = ZonedDateTime.now(clock.withZone(zone)).toLocalDate().atStartOfDay(zone).toOffsetDateTime();
        List<ReservationSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, customer_name, party_size, reservation_time, status, seating_preference, notes FROM reservations
                WHERE restaurant_id = ? AND customer_phone = ? AND status IN ('pending', 'confirmed') AND reservation_time >= ?
                ORDER BY reservation_time ASC LIMIT\s""" + MAX_UPCOMING)) {
            ps.setString(1, restaurantId);
            ps.setString(2, phone);
            Sql.time(ps, 3, startOfToday);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReservationSummary(rs.getString("id"), rs.getString("customer_name"), rs.getInt("party_size"),
                            Sql.time(rs, "reservation_time").atZoneSameInstant(zone).toOffsetDateTime(), rs.getString("status"),
                            rs.getString("seating_preference"), rs.getString("notes") == null ? "" : rs.getString("notes")));
                }
            }
        }
        return out;
    }

    /** Cancels one of the phone's upcoming reservations, looked up afresh in the same transaction. */
    void cancel(String restaurantId, String phone, String reservationId, ZoneId zone) throws SQLException, BackendException {
        boolean done = db.inTransaction(c -> {
            boolean mine = upcoming(c, restaurantId, phone, zone).stream().anyMatch(r -> r.id().equals(reservationId));
            if (!mine) {
                return false;
            }
            OffsetDateTime now = OffsetDateTime.now(clock);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE reservations SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?")) {
                Sql.time(ps, 1, now);
                Sql.time(ps, 2, now);
                ps.setString(3, reservationId);
                return ps.executeUpdate() == 1;
            }
        });
        if (!done) {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "no such reservation among the caller's upcoming ones");
        }
    }
}
