package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** serve started with {@code VOICEORDER_BACKEND=http}: the back office is its backend, visible in /health. */
class HttpBackendServeTest {
    private static final String TOKEN = "office-token-6d1f";

    @Test
    void serveRunsOnTheBackOfficeAndHealthFollowsIt() throws Exception {
        FakeBackOffice office = new FakeBackOffice();
        try (LogCapture logs = new LogCapture();
             ServeHarness h = ServeHarness.start(Map.of("VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl(),
                     "NEXT_API_TOKEN", TOKEN, "RESTAURANT_ID", FakeBackOffice.RESTAURANT))) {
            RestaurantBackend backend = h.serve.context().getBean(RestaurantBackend.class);
            assertThat(backend).isInstanceOf(HttpRestaurantBackend.class);
            assertThat(backend.loadAgent(FakeBackOffice.RESTAURANT, null)).isPresent();

            JsonNode health = new ObjectMapper().readTree(h.get("/health").body());
            assertThat(health.path("status").asText()).isEqualTo("ok");
            assertThat(health.path("backend").path("kind").asText()).isEqualTo("http");
            assertThat(health.path("backend").path("defaultRestaurant").asText()).isEqualTo(FakeBackOffice.RESTAURANT);

            office.close();
            assertThat(backend.isBlocked(FakeBackOffice.RESTAURANT, "+33611111111")).as("fail-open").isFalse();
            JsonNode degraded = new ObjectMapper().readTree(h.get("/health").body());
            assertThat(degraded.path("status").asText()).isEqualTo("degraded");
            assertThat(degraded.path("backend").path("ok").asBoolean()).isFalse();
            assertThat(h.get("/health").statusCode()).isEqualTo(200);

            assertThat(logs.lines()).noneMatch(l -> l.contains(TOKEN)).noneMatch(l -> l.contains("never-read"));
        } finally {
            office.close();
        }
    }
}
