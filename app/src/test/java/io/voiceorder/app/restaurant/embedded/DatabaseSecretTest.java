package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code DATABASE_PASSWORD} opens the database and never appears in a log line or a response. */
class DatabaseSecretTest {
    private static final String PASSWORD = "pw-9f3e61c2";

    @Test
    void theDatabasePasswordIsUsedButNeverShown() {
        try (LogCapture logs = new LogCapture();
             ServeHarness serve = ServeHarness.start(Map.of("DATABASE_USER", "voice", "DATABASE_PASSWORD", PASSWORD))) {
            assertThat(serve.get("/health").body()).contains("\"database\":\"h2\"").doesNotContain(PASSWORD);
            assertThat(serve.get("/").body()).doesNotContain(PASSWORD);
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("DATABASE_PASSWORD set"));
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("database h2 ready"));
            assertThat(logs.lines()).noneSatisfy(l -> assertThat(l).contains(PASSWORD));
        }
    }
}
