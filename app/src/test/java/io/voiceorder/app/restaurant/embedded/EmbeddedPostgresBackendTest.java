package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.RestaurantBackendContract;
import io.voiceorder.app.support.MutableClock;
import io.voiceorder.app.support.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;

/**
 * The port contract on the embedded adapter with a real PostgreSQL server (Debian's package, started
 * on 127.0.0.1 with a throwaway data directory), a new database per test, the same migrations.
 */
class EmbeddedPostgresBackendTest extends RestaurantBackendContract {
    private static PostgresServer postgres;
    private EmbeddedBackend backend;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        backend = EmbeddedBackend.open(BackendSettings.parse(Map.of(
                        "DATABASE_URL", postgres.createDatabase(), "DATABASE_USER", "postgres")),
                Optional.empty(), new MutableClock(EmbeddedH2BackendTest.TUESDAY_MORNING));
        assert backend.database().kind().equals("postgresql");
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
