package io.voiceorder.cli;

import io.voiceorder.app.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The variables map that {@code serve} hands to {@link ServeConfig#parse}, and how each option maps to it. */
class ServeOptionsTest {
    private static final List<String> VARIABLES = List.of(
            "OPENAI_API_KEY", "OPENAI_REALTIME_URL", "OPENAI_REALTIME_MODEL", "OPENAI_VOICE",
            "OPENAI_TRANSCRIPTION_MODEL", "PORT", "PUBLIC_URL", "RESTAURANT_ID", "MAX_PARALLEL_CALLS",
            "MAX_CALL_DURATION", "VAD_THRESHOLD", "VAD_SILENCE_MS", "VAD_PREFIX_PADDING_MS",
            "TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID", "MEDIA_STREAM_SECRET",
            "VOICEORDER_BACKEND", "NEXT_API_URL", "NEXT_API_TOKEN", "TWILIO_API_URL", "TWILIO_PHONE_NUMBER",
            "BRIDGE_PORT", "BRIDGE_URL", "BRIDGE_API_TOKEN", "SIP_DOMAIN",
            "RESTAURANT_FILE", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "ADMIN_TOKEN",
            "OPENAI_SESSION_ROLLOVER_S", "OPENAI_PRICES", "TELECOM_COST_PER_MIN", "COST_CURRENCY",
            "NEXT_PUBLIC_BILLING_CURRENCY", "COST_EXCHANGE_RATE", "AI_COST_MARGIN_PCT");

    @TempDir
    Path dir;

    private Map<String, String> variables(Map<String, String> environment, Map<String, String> dotEnv, String... args) {
        Cli cli = new Cli(environment, dir);
        CommandLine commandLine = VoiceOrderCommand.commandLine(cli.context(), dotEnv);
        commandLine.parseArgs(args);
        return commandLine.getSubcommands().get("serve").<ServeCommand>getCommand().variables();
    }

    @Test
    void flagBeatsEnvironmentBeatsDotEnvBeatsDefault() {
        Map<String, String> environment = Map.of("PORT", "6001", "OPENAI_VOICE", "ash");
        Map<String, String> dotEnv = Map.of("PORT", "6002", "OPENAI_VOICE", "coral", "VAD_THRESHOLD", "0.7");

        Map<String, String> vars = variables(environment, dotEnv, "serve", "--port", "6000");

        assertThat(vars).containsEntry("PORT", "6000")
                .containsEntry("OPENAI_VOICE", "ash")
                .containsEntry("VAD_THRESHOLD", "0.7")
                .containsEntry("VAD_SILENCE_MS", "500");
    }

    @Test
    void aBlankEnvironmentVariableCountsAsUnset() {
        Map<String, String> vars = variables(Map.of("OPENAI_API_KEY", " "), Map.of("OPENAI_API_KEY", "sk-dotenv"), "serve");

        assertThat(vars).containsEntry("OPENAI_API_KEY", "sk-dotenv");
    }

    @Test
    void valuesAreTakenLiterally() {
        Map<String, String> vars = variables(Map.of("OPENAI_API_KEY", "sk-${HOME}-$${x}"), Map.of(), "serve");

        assertThat(vars).containsEntry("OPENAI_API_KEY", "sk-${HOME}-$${x}");
    }

    @Test
    void everyServeVariableHasTheOptionServeConfigNames() {
        CommandLine serve = VoiceOrderCommand.commandLine(new Cli(Map.of(), dir).context(), Map.of())
                .getSubcommands().get("serve");
        Map<String, String> flagByVariable = new HashMap<>();
        for (OptionSpec option : serve.getCommandSpec().options()) {
            VariableDefaults.variableOf(option).filter(v -> !v.equals(ServeCommand.LOG_FORMAT))
                    .ifPresent(variable -> flagByVariable.put(variable, option.longestName()));
        }

        assertThat(flagByVariable).containsOnlyKeys(VARIABLES);
        flagByVariable.forEach((variable, flag) -> assertThat(flag).isEqualTo(ServeConfig.flagOf(variable)));
    }

    @Test
    void envExampleParsesAndListsEveryServeVariable() throws IOException {
        Path example = Path.of("../.env.example");

        assertThat(DotEnv.parse(Files.readAllLines(example))).containsOnlyKeys("OPENAI_API_KEY");
        assertThat(Files.readString(example)).contains(VARIABLES.stream().map(v -> v + "=").toList());
    }

    @Test
    void builtInDefaultsAgreeWithServeConfig() {
        Map<String, String> vars = variables(Map.of("OPENAI_API_KEY", "sk-test"), Map.of(), "serve");

        assertThat(vars).containsOnlyKeys(VARIABLES);
        assertThat(ServeConfig.parse(vars)).isEqualTo(ServeConfig.parse(Map.of("OPENAI_API_KEY", "sk-test")));
    }
}
