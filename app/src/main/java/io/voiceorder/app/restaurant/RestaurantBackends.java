package io.voiceorder.app.restaurant;

import io.voiceorder.app.config.ConfigException;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.embedded.Database;
import io.voiceorder.app.restaurant.embedded.EmbeddedBackend;
import io.voiceorder.app.restaurant.http.HttpRestaurantBackend;

import java.time.Clock;

/** Opens the restaurant backend {@code VOICEORDER_BACKEND} names, before serve takes calls. */
public final class RestaurantBackends {
    private RestaurantBackends() {
    }

    /**
     * @throws ConfigException        a restaurant file problem or a missing {@code RESTAURANT_ID} (exit 2)
     * @throws Database.OpenException the embedded database cannot be opened or migrated (exit 1)
     */
    public static RestaurantBackend open(ServeConfig config, Clock clock) throws Database.OpenException {
        return switch (config.backend().kind()) {
            case EMBEDDED -> EmbeddedBackend.open(config.backend(), config.restaurantId(), clock);
            case HTTP -> HttpRestaurantBackend.open(config, clock);
        };
    }
}
