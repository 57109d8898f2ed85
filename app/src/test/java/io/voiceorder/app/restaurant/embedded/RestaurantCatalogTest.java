package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.config.ConfigException;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestaurantCatalogTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private static ObjectNode withPrice(String price) {
        return RestaurantFiles.set(RestaurantFiles.sample(), "menu.items[2].price", F.numberNode(new java.math.BigDecimal(price)));
    }

    @Test
    void aValidChangeAppliesToNewLookUpsAndAnInvalidOneKeepsThePreviousVersion() throws Exception {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", withPrice("9.50"));
        RestaurantCatalog catalog = RestaurantCatalog.open(Optional.of(file));
        RestaurantDefinition before = catalog.get("da-marco").orElseThrow();
        assertThat(catalog.reload()).as("unchanged file").isFalse();

        RestaurantFiles.write(dir, "restaurant.yaml", withPrice("10.00"));
        assertThat(catalog.reload()).isTrue();
        assertThat(catalog.get("da-marco").orElseThrow().item(1).orElseThrow().price()).isEqualByComparingTo("10.00");
        // A snapshot taken before (a call in progress) does not change.
        assertThat(before.item(1).orElseThrow().price()).isEqualByComparingTo("9.50");

        try (LogCapture logs = new LogCapture()) {
            RestaurantFiles.write(dir, "restaurant.yaml", withPrice("-1"));
            assertThat(catalog.reload()).isFalse();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l)
                    .startsWith("ERROR restaurant file not reloaded, the previous version stays: RESTAURANT_FILE " + file
                            + ": menu.items[2].price: must be a number >= 0."));
        }
        assertThat(catalog.get("da-marco").orElseThrow().item(1).orElseThrow().price()).isEqualByComparingTo("10.00");

        try (LogCapture logs = new LogCapture()) {
            Files.delete(file);
            assertThat(catalog.reload()).isFalse();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR restaurant file not reloaded"));
        }
        assertThat(catalog.get("da-marco")).isPresent();
    }

    @Test
    void theBackendPicksUpAChangedFileOnItsOwn() throws Exception {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", withPrice("9.50"));
        try (EmbeddedBackend b = EmbeddedBackend.open(BackendSettings.parse(vars(file)), Optional.empty(),
                new MutableClock(Instant.EPOCH), java.time.Duration.ofMillis(100))) {
            assertThat(b.loadAgent("da-marco", null).orElseThrow().menu().byNumber(3).orElseThrow().price()).isEqualByComparingTo("9.50");
            RestaurantFiles.write(dir, "restaurant.yaml", withPrice("10.50"));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (b.loadAgent("da-marco", null).orElseThrow().menu().byNumber(3).orElseThrow().price().compareTo(new java.math.BigDecimal("10.50")) != 0) {
                assertThat(System.nanoTime()).as("the change was picked up within 10 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aDirectoryHoldsOneRestaurantPerFile() throws Exception {
        RestaurantFiles.write(dir, "a.yaml", RestaurantFiles.sample());
        RestaurantFiles.write(dir, "b.json", RestaurantFiles.set(RestaurantFiles.sample(), "restaurant.id", F.textNode("chez-luigi")));
        Files.writeString(dir.resolve("README.txt"), "not a restaurant");
        RestaurantCatalog catalog = RestaurantCatalog.open(Optional.of(dir));
        assertThat(catalog.ids()).containsExactly("da-marco", "chez-luigi");

        RestaurantFiles.write(dir, "c.yaml", RestaurantFiles.sample());
        assertThat(catalog.reload()).as("c.yaml repeats da-marco").isFalse();
        assertThat(catalog.ids()).containsExactly("da-marco", "chez-luigi");
    }

    @Test
    void anEmptyDirectoryOrAMissingPathIsAFileError() {
        assertThatThrownBy(() -> RestaurantCatalog.open(Optional.of(dir)))
                .hasMessage("RESTAURANT_FILE " + dir + ": the directory holds no .yaml, .yml or .json file.");
        assertThatThrownBy(() -> RestaurantCatalog.open(Optional.of(dir.resolve("nope.yaml"))))
                .hasMessage("RESTAURANT_FILE " + dir.resolve("nope.yaml") + ": no such file or directory.");
    }

    @Test
    void withoutAFileTheBundledSampleIsUsed() throws Exception {
        RestaurantCatalog catalog = RestaurantCatalog.open(Optional.empty());
        assertThat(catalog.ids()).containsExactly("da-marco");
        assertThat(catalog.source().toString()).isEqualTo("classpath:restaurants/sample.yaml");
    }

    private static Map<String, String> vars(Path file) {
        return Map.of("RESTAURANT_FILE", file.toString(),
                "DATABASE_URL", "jdbc:h2:mem:cat-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void startUpNamesTheFileAndFieldOfAnInvalidFile() {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", withPrice("-1"));
        assertThatThrownBy(() -> EmbeddedBackend.open(BackendSettings.parse(vars(file)), Optional.empty(), new MutableClock(Instant.EPOCH)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RESTAURANT_FILE " + file + ": menu.items[2].price: must be a number >= 0.");
    }

    @Test
    void severalRestaurantsNeedRestaurantId() throws Exception {
        RestaurantFiles.write(dir, "a.yaml", RestaurantFiles.sample());
        RestaurantFiles.write(dir, "b.yaml", RestaurantFiles.set(RestaurantFiles.sample(), "restaurant.id", F.textNode("chez-luigi")));
        assertThatThrownBy(() -> EmbeddedBackend.open(BackendSettings.parse(vars(dir)), Optional.empty(), new MutableClock(Instant.EPOCH)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RESTAURANT_ID is not set and " + dir + " holds 2 restaurants (da-marco, chez-luigi). "
                        + "Set RESTAURANT_ID (flag --restaurant-id).");
        try (EmbeddedBackend b = EmbeddedBackend.open(BackendSettings.parse(vars(dir)), Optional.of("chez-luigi"),
                new MutableClock(Instant.EPOCH))) {
            assertThat(b.defaultRestaurantId()).contains("chez-luigi");
            assertThat(b.loadAgent("da-marco", null)).isPresent();
        }
    }

    @Test
    void anUnknownRestaurantIdIsAWarningNotAnError() throws Exception {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", RestaurantFiles.sample());
        try (LogCapture logs = new LogCapture();
             EmbeddedBackend b = EmbeddedBackend.open(BackendSettings.parse(vars(file)), Optional.of("ailleurs"),
                     new MutableClock(Instant.EPOCH))) {
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l)
                    .startsWith("WARN RESTAURANT_ID ailleurs is not in " + file + ": calls for it get the fallback agent."));
            assertThat(b.loadAgent("ailleurs", null)).isEmpty();
            assertThat(b.health().defaultRestaurant()).isEqualTo("ailleurs");
        }
    }
}
