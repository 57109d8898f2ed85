package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.PromptText;
import io.voiceorder.app.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls of one restaurant share its menu and prompt sections; a reloaded file reaches the next call. */
class SharedAgentPartsTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Tuesday 24 November 2026, 19:05 in Paris. */
    private static final Instant TUESDAY_EVENING = Instant.parse("2026-11-24T18:05:00Z");

    @TempDir
    Path dir;

    private static ObjectNode withPrice(String price) {
        return RestaurantFiles.set(RestaurantFiles.sample(), "menu.items[2].price", F.numberNode(new BigDecimal(price)));
    }

    private EmbeddedBackend open(Path file, MutableClock clock) throws Exception {
        // No timed reload: the test reloads the catalogue itself.
        return EmbeddedBackend.open(BackendSettings.parse(Map.of("RESTAURANT_FILE", file.toString(), "DATABASE_URL",
                "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")),
                Optional.empty(), clock, Duration.ofHours(1));
    }

    @Test
    void callsShareTheMenuAndPromptSectionsAndHoldOnlyTheirOwnPieces() throws Exception {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", withPrice("9.50"));
        MutableClock clock = new MutableClock(TUESDAY_EVENING);
        try (EmbeddedBackend b = open(file, clock)) {
            AgentConfig first = b.loadAgent("da-marco", null).orElseThrow();
            clock.advance(Duration.ofMinutes(7));
            AgentConfig second = b.loadAgent("da-marco", null).orElseThrow();

            assertThat(second.menu()).isSameAs(first.menu());
            assertThat(second.transfer()).isSameAs(first.transfer());
            PromptText a = first.instructions().promptFor(true);
            PromptText c = second.instructions().promptFor(true);
            assertThat(c.parts()).hasSameSizeAs(a.parts());
            int shared = 0;
            for (int i = 0; i < a.parts().size(); i++) {
                if (a.parts().get(i) == c.parts().get(i)) {
                    shared += a.parts().get(i).length();
                }
            }
            assertThat(shared).as("characters the two calls share").isGreaterThan(a.length() * 9 / 10);
            assertThat(first.instructions().forCall(true)).contains("19:05").doesNotContain("19:12");
            assertThat(second.instructions().forCall(true)).contains("19:12");
            assertThat(first.instructions().forCall(true)).contains("#3 Margherita — 9.50 EUR");
            // The two variants of one call share all but the transfer rule.
            assertThat(first.instructions().promptFor(false).parts()).isSubsetOf(a.parts());
            assertThat(first.instructions().forCall(false)).doesNotContain("Le client insiste pour parler à une personne");
        }
    }

    @Test
    void aReloadedMenuReachesTheNextCallAndACallInProgressKeepsItsOwn() throws Exception {
        Path file = RestaurantFiles.write(dir, "restaurant.yaml", withPrice("9.50"));
        try (EmbeddedBackend b = open(file, new MutableClock(TUESDAY_EVENING))) {
            AgentConfig before = b.loadAgent("da-marco", null).orElseThrow();

            RestaurantFiles.write(dir, "restaurant.yaml", withPrice("10.50"));
            assertThat(b.catalog().reload()).isTrue();
            AgentConfig after = b.loadAgent("da-marco", null).orElseThrow();

            assertThat(after.menu()).isNotSameAs(before.menu());
            assertThat(after.menu().byNumber(3).orElseThrow().price()).isEqualByComparingTo("10.50");
            assertThat(after.instructions().forCall(true)).contains("#3 Margherita — 10.50 EUR").doesNotContain("9.50 EUR —");
            assertThat(before.menu().byNumber(3).orElseThrow().price()).isEqualByComparingTo("9.50");
            assertThat(before.instructions().forCall(true)).contains("#3 Margherita — 9.50 EUR");
            assertThat(b.loadAgent("da-marco", null).orElseThrow().menu()).isSameAs(after.menu());
        }
    }
}
