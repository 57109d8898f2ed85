package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.RestaurantBackendContract;
import io.voiceorder.app.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The port contract on the embedded adapter with H2 (PostgreSQL mode), the bundled sample restaurant. */
class EmbeddedH2BackendTest extends RestaurantBackendContract {
    /** Tuesday 24 November 2026, 10:00 in Paris. */
    static final Instant TUESDAY_MORNING = Instant.parse("2026-11-24T09:00:00Z");

    private EmbeddedBackend backend;

    @BeforeEach
    void open() throws Exception {
        backend = EmbeddedBackend.open(BackendSettings.parse(Map.of("DATABASE_URL",
                "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")),
                Optional.empty(), new MutableClock(TUESDAY_MORNING));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Override
    protected RestaurantBackend backend() {
        return backend;
    }

    @Override
    protected String restaurantId() {
        return "da-marco";
    }

    @Override
    protected LocalTime openReservationTime() {
        return LocalTime.of(20, 0);
    }

    @Override
    protected int seatsAtOpenTime() {
        return 32;
    }
}
