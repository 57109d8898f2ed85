package io.voiceorder.cli;

import io.voiceorder.app.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class DotEnvTest {

    @Test
    void readsBareQuotedAndExportedValuesSkippingCommentsAndBlankLines() {
        assertThat(DotEnv.parse(List.of(
                "\uFEFF# OpenAI",
                "",
                "OPENAI_API_KEY=sk-abc",
                "export PORT = 6000 ",
                "  PUBLIC_URL=https://voice.example.com # the public host",
                "RESTAURANT_ID='pizza #1'",
                "MEDIA_STREAM_SECRET=\"a \\\"b\\\" c\\\\d\\n\" # quoted",
                "TWILIO_ACCOUNT_SID=\"C:\\dir\"",
                "OPENAI_VOICE=",
                "PORT=7000")))
                .containsExactly(
                        entry("OPENAI_API_KEY", "sk-abc"),
                        entry("PORT", "7000"),
                        entry("PUBLIC_URL", "https://voice.example.com"),
                        entry("RESTAURANT_ID", "pizza #1"),
                        entry("MEDIA_STREAM_SECRET", "a \"b\" c\\d\n"),
                        entry("TWILIO_ACCOUNT_SID", "C:\\dir"),
                        entry("OPENAI_VOICE", ""));
    }

    @Test
    void aValueMayContainEqualsSignsAndHashesWithoutALeadingSpace() {
        assertThat(DotEnv.parse(List.of("OPENAI_REALTIME_URL=ws://127.0.0.1:9/v1?model=x#y")))
                .containsEntry("OPENAI_REALTIME_URL", "ws://127.0.0.1:9/v1?model=x#y");
    }

    @Test
    void malformedLinesNameTheirNumberAndTheProblem() {
        assertProblem(List.of("# ok", "NO_EQUALS_SIGN"), ".env line 2: expected KEY=VALUE.");
        assertProblem(List.of("1PORT=5050"),
                ".env line 1: the name before '=' must be letters, digits and underscores, not starting with a digit.");
        assertProblem(List.of("A=1", "B=\"open"), ".env line 2: the value has no closing \".");
        assertProblem(List.of("B='x' y"), ".env line 1: unexpected text after the closing '.");
    }

    @Test
    void aMissingFileIsEmpty(@TempDir Path dir) {
        assertThat(DotEnv.load(dir)).isEmpty();
    }

    private static void assertProblem(List<String> lines, String message) {
        assertThatThrownBy(() -> DotEnv.parse(lines)).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
