package io.voiceorder.app.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.ServerStartException;
import io.voiceorder.app.VoiceServer;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.embedded.EmbeddedBackend;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backend part of {@code /health} (serve.md §3.4) and the database start-up error (§2.2). */
class BackendHealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthNamesTheEmbeddedBackendItsDatabaseAndRestaurants() throws Exception {
        try (ServeHarness serve = ServeHarness.start()) {
            HttpResponse<String> r = serve.get("/health");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("ok");
            JsonNode backend = body.get("backend");
            assertThat(backend.get("kind").asText()).isEqualTo("embedded");
            assertThat(backend.get("ok").asBoolean()).isTrue();
            assertThat(backend.get("database").asText()).isEqualTo("h2");
            assertThat(backend.get("restaurants").get(0).asText()).isEqualTo("da-marco");
            assertThat(backend.get("defaultRestaurant").asText()).isEqualTo("da-marco");
        }
    }

    @Test
    void anUnknownDefaultRestaurantIsDegraded() throws Exception {
        try (ServeHarness serve = ServeHarness.start(Map.of("RESTAURANT_ID", "ailleurs"))) {
            HttpResponse<String> r = serve.get("/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("degraded");
        }
    }

    @Test
    void anUnusableDatabaseMakesServeUnavailable() throws Exception {
        try (ServeHarness serve = ServeHarness.start()) {
            EmbeddedBackend backend = (EmbeddedBackend) serve.serve.context().getBean(RestaurantBackend.class);
            backend.database().close();
            HttpResponse<String> r = serve.get("/health");
            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("unavailable");
            assertThat(body.get("backend").get("ok").asBoolean()).isFalse();
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedStopsStartUpNamingTheMaskedUrl() {
        int closedPort = ServeHarness.freePort();
        String url = "postgres://voice:hunter2@127.0.0.1:" + closedPort + "/voice";
        ServeConfig config = ServeConfig.parse(Map.of("OPENAI_API_KEY", ServeHarness.API_KEY, "PORT", String.valueOf(ServeHarness.freePort()),
                "DATABASE_URL", url));
        assertThatThrownBy(() -> VoiceServer.start(config).close())
                .isInstanceOf(ServerStartException.class)
                .hasMessageStartingWith("cannot open the database (DATABASE_URL=postgres://voice:***@127.0.0.1:" + closedPort + "/voice): ")
                .hasMessageEndingWith(". Check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
