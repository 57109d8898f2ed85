package io.voiceorder.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSettingsTest {
    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OPENAI_API_KEY", "sk-abc");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theDefaultIsTheEmbeddedBackendWithH2UnderData() {
        BackendSettings b = ServeConfig.parse(with()).backend();
        assertThat(b.kind()).isEqualTo(BackendSettings.Kind.EMBEDDED);
        assertThat(b.restaurantFile()).isEmpty();
        assertThat(b.databaseUrl()).isEqualTo("jdbc:h2:file:./data/voiceorder;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0");
        assertThat(b.databaseUser()).isEmpty();
        assertThat(b.databasePassword().isSet()).isFalse();
    }

    @Test
    void nextApiUrlSelectsTheHttpBackendUnlessTheBackendIsNamed() {
        assertThat(ServeConfig.parse(with("NEXT_API_URL", "http://localhost:3000", "RESTAURANT_ID", "r1")).backend().kind())
                .isEqualTo(BackendSettings.Kind.HTTP);
        assertThat(ServeConfig.parse(with("NEXT_API_URL", "http://localhost:3000", "VOICEORDER_BACKEND", "embedded")).backend().kind())
                .isEqualTo(BackendSettings.Kind.EMBEDDED);
        assertThat(ServeConfig.parse(with("VOICEORDER_BACKEND", "HTTP", "RESTAURANT_ID", "r1")).backend().kind())
                .isEqualTo(BackendSettings.Kind.HTTP);
    }

    @Test
    void errorsNameTheVariableAndTheFix() {
        assertThatThrownBy(() -> ServeConfig.parse(with("VOICEORDER_BACKEND", "http")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("RESTAURANT_ID is not set (flag --restaurant-id). The http backend needs the restaurant's id in the back office.");
        assertThatThrownBy(() -> ServeConfig.parse(with("VOICEORDER_BACKEND", "sqlite")))
                .hasMessage("VOICEORDER_BACKEND must be embedded or http (got \"sqlite\").");
        assertThatThrownBy(() -> ServeConfig.parse(with("DATABASE_URL", "mysql://root:hunter2@db/x")))
                .hasMessage("DATABASE_URL must be a jdbc:h2:, jdbc:postgresql:// or postgres:// URL (got \"mysql://root:***@db/x\").")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void fileAndCredentialsAreKept() {
        BackendSettings b = ServeConfig.parse(with("RESTAURANT_FILE", "restaurants/", "DATABASE_URL", "jdbc:postgresql://db:5432/voice",
                "DATABASE_USER", "voice", "DATABASE_PASSWORD", "s3cret")).backend();
        assertThat(b.restaurantFile()).isEqualTo(Optional.of(Path.of("restaurants/")));
        assertThat(b.databaseUser()).contains("voice");
        assertThat(b.databasePassword().reveal()).isEqualTo("s3cret");
        assertThat(b.toString()).doesNotContain("s3cret");
    }

    @Test
    void postgresUrlsBecomeJdbcUrlsWithTheirCredentials() {
        DatabaseUrls.Jdbc j = DatabaseUrls.toJdbc("postgres://voice:p%40ss@db.example.com:6543/orders?sslmode=require");
        assertThat(j.url()).isEqualTo("jdbc:postgresql://db.example.com:6543/orders?sslmode=require");
        assertThat(j.user()).contains("voice");
        assertThat(j.password()).contains("p@ss");
        assertThat(DatabaseUrls.toJdbc("postgresql://db/orders").url()).isEqualTo("jdbc:postgresql://db/orders");
        assertThat(DatabaseUrls.toJdbc("jdbc:h2:mem:x").url()).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void passwordsAreMaskedInMessages() {
        assertThat(DatabaseUrls.maskPassword("postgres://voice:p@ss@db:5432/orders")).isEqualTo("postgres://voice:***@db:5432/orders");
        assertThat(DatabaseUrls.maskPassword("jdbc:postgresql://db/orders?user=v&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/orders?user=v&password=***&ssl=true");
        assertThat(DatabaseUrls.maskPassword("jdbc:h2:file:./data/voiceorder;MODE=PostgreSQL")).isEqualTo("jdbc:h2:file:./data/voiceorder;MODE=PostgreSQL");
    }
}
