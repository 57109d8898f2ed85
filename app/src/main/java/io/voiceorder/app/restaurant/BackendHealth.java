package io.voiceorder.app.restaurant;

import java.util.List;

/**
 * The backend part of {@code /health} (§3.4).
 *
 * @param kind               {@code embedded} or {@code http}
 * @param ok                 false when the database cannot be used (→ {@code unavailable}, 503) or, for http,
 *                           when the back office's last request failed in the last 5 minutes (→ {@code degraded})
 * @param database           {@code h2} or {@code postgresql}; null for http
 * @param restaurants        ids served (embedded); the configured one (http)
 * @param defaultRestaurant  the restaurant used when a stream names none
 * @param databaseDown       true when the database cannot be used: {@code /health} answers 503 {@code unavailable}
 */
public record BackendHealth(String kind, boolean ok, String database, List<String> restaurants,
                            String defaultRestaurant, boolean databaseDown) {

    public BackendHealth {
        restaurants = List.copyOf(restaurants);
    }
}
