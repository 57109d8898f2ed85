package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.embedded.RestaurantDefinition.Faq;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Questions callers asked that the FAQ did not answer (§6.4.5): the same question, compared by
 * {@link TextKeys#question}, is counted again instead of stored twice. Staff answers them; answered
 * ones join the prompt's FAQ.
 */
final class FaqStore {
    static final Set<String> CATEGORIES = Set.of("horaires", "livraison", "allergens", "paiement", "parking",
            "reservation", "promotion", "ingredients", "localisation", "info_restau", "other");

    private final Database db;
    private final Clock clock;

    FaqStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void log(String restaurantId, String question, String category, String callerPhone) throws SQLException {
        String key = TextKeys.question(question);
        String cat = category != null && CATEGORIES.contains(category) ? category : "other";
        try {
            db.inTransaction(c -> upsert(c, restaurantId, question, key, cat, callerPhone));
        } catch (SQLException e) {
            if (OrderStore.isUniqueViolation(e)) {
                db.inTransaction(c -> upsert(c, restaurantId, question, key, cat, callerPhone));
                return;
            }
            throw e;
        }
    }

    private int upsert(Connection c, String restaurantId, String question, String key, String category, String phone)
            throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(clock);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE faq_questions SET ask_count = ask_count + 1, last_asked_at = ?, last_caller_phone = ?
                WHERE restaurant_id = ? AND question_key = ?""")) {
            Sql.time(ps, 1, now);
            ps.setString(2, phone);
            ps.setString(3, restaurantId);
            ps.setString(4, key);
            if (ps.executeUpdate() > 0) {
                return 1;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO faq_questions (id, restaurant_id, question, question_key, category, status, ask_count,
                  last_caller_phone, last_asked_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)""")) {
            ps.setString(1, Sql.newId());
            ps.setString(2, restaurantId);
            ps.setString(3, Sql.text(question, 500));
            ps.setString(4, key.length() > 500 ? key.substring(0, 500) : key);
            ps.setString(5, category);
            ps.setString(6, phone);
            Sql.time(ps, 7, now);
            Sql.time(ps, 8, now);
            return ps.executeUpdate();
        }
    }

    /** Answered questions, most asked first. */
    List<Faq> answered(String restaurantId) throws SQLException {
        return db.read(c -> {
            List<Faq> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT question, answer, category FROM faq_questions
                    WHERE restaurant_id = ? AND status = 'answered' AND answer IS NOT NULL
                    ORDER BY ask_count DESC, last_asked_at DESC LIMIT 50""")) {
                ps.setString(1, restaurantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Faq(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }
}
