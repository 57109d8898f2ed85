package io.voiceorder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VoiceOrderCommandTest {
    private static final String SECRET = "sk-test-9f8e7d6c5b4a";

    @TempDir
    Path dir;

    private Cli cli(Map<String, String> environment) {
        return new Cli(environment, dir);
    }

    private void dotEnv(String content) throws IOException {
        Files.writeString(dir.resolve(".env"), content);
    }

    @Test
    void helpListsTheCommands() {
        Cli.Result r = cli(Map.of()).run("--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: voiceorder", "serve", "bridge", "--verbose", "--version");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void serveHelpNamesEachVariableAndDefault() {
        Cli.Result r = cli(Map.of()).run("serve", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains(
                "--openai-api-key", "(from OPENAI_API_KEY; prefer .env or the environment)",
                "--port", "(PORT, default: 5050)",
                "--model", "(OPENAI_REALTIME_MODEL, default: gpt-realtime)",
                "--voice", "default: sage",
                "--openai-realtime-url", "default: wss://api.openai.com/v1/realtime",
                "--vad-threshold", "(VAD_THRESHOLD, default: 0.5)",
                "MAX_PARALLEL_CALLS", "MAX_CALL_DURATION", "VAD_SILENCE_MS", "VAD_PREFIX_PADDING_MS",
                "OPENAI_TRANSCRIPTION_MODEL", "PUBLIC_URL", "RESTAURANT_ID",
                "(from TWILIO_AUTH_TOKEN; prefer .env or the environment)", "TWILIO_ACCOUNT_SID", "(from MEDIA_STREAM_SECRET; prefer .env or the environment)",
                "flag > environment variable > .env in the working directory > built-in default", "'ps'");
    }

    @Test
    void helpShowsDefaultsFromDotEnvButNeverSecrets() throws IOException {
        dotEnv("PORT=6060\nTWILIO_AUTH_TOKEN=" + SECRET + "-twilio\nMEDIA_STREAM_SECRET=" + SECRET + "-stream\n");

        Cli.Result r = cli(Map.of("OPENAI_API_KEY", SECRET)).run("serve", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("(PORT, default: 6060)").doesNotContain(SECRET);
    }

    @Test
    void versionIsTheProjectVersion() {
        Cli.Result r = cli(Map.of()).run("--version");

        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).isEqualTo("voiceorder 1.0.0");
    }

    @Test
    void missingApiKeyIsAUsageError() {
        Cli.Result r = cli(Map.of()).run("serve");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "error: OPENAI_API_KEY is not set (flag --openai-api-key). Put it in .env or the environment."
                        + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void malformedValueFromDotEnvIsReportedWithTheSpecSentence() throws IOException {
        dotEnv("OPENAI_API_KEY=" + SECRET + "\nVAD_THRESHOLD=1.5\n");

        Cli.Result r = cli(Map.of()).run("serve");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: VAD_THRESHOLD must be a number between 0 and 1 (got \"1.5\").");
        assertThat(r.err()).doesNotContain(SECRET);
    }

    @Test
    void flagBeatsEnvironmentBeatsDotEnvUpToServeConfig() throws IOException {
        dotEnv("OPENAI_API_KEY=" + SECRET + "\nVAD_THRESHOLD=1.5\nVAD_SILENCE_MS=x\n");
        Map<String, String> environment = Map.of("VAD_THRESHOLD", "7");

        Cli.Result fromDotEnv = cli(Map.of()).run("serve");
        Cli.Result fromEnvironment = cli(environment).run("serve");
        Cli.Result fromFlag = cli(environment).run("serve", "--vad-threshold", "3");

        assertThat(fromDotEnv.err().strip()).isEqualTo("error: VAD_THRESHOLD must be a number between 0 and 1 (got \"1.5\").");
        assertThat(fromEnvironment.err().strip()).isEqualTo("error: VAD_THRESHOLD must be a number between 0 and 1 (got \"7\").");
        assertThat(fromFlag.err().strip()).isEqualTo("error: VAD_THRESHOLD must be a number between 0 and 1 (got \"3\").");
        assertThat(List.of(fromDotEnv.status(), fromEnvironment.status(), fromFlag.status())).containsOnly(2);
    }

    @Test
    void malformedDotEnvLineNamesTheLineButNotItsContent() throws IOException {
        dotEnv("# VoiceOrder\n\nOPENAI_API_KEY=" + SECRET + "\n" + SECRET + "\n");

        Cli.Result r = cli(Map.of()).run("serve");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: .env line 4: expected KEY=VALUE.");
    }

    @Test
    void unknownOptionIsAUsageErrorWithAHint() {
        Cli.Result r = cli(Map.of()).run("serve", "--bogus");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: Unknown option: '--bogus'. See 'voiceorder serve --help'.");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Result r = cli(Map.of()).run("fax");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: Unknown command: 'fax'. See 'voiceorder --help'.");
    }

    @Test
    void aMisspelledOrMisplacedSecretIsNotEchoed() {
        Cli.Result misspelled = cli(Map.of()).run("serve", "--openai-apikey=" + SECRET);
        Cli.Result misplaced = cli(Map.of()).run("serve", SECRET);

        assertThat(misspelled.status()).isEqualTo(2);
        assertThat(misspelled.err().strip())
                .isEqualTo("error: Unknown option: '--openai-apikey'. See 'voiceorder serve --help'.");
        assertThat(misplaced.status()).isEqualTo(2);
        assertThat(misplaced.err().strip())
                .isEqualTo("error: 'voiceorder serve' takes options only, not arguments. See 'voiceorder serve --help'.");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = cli(Map.of()).run();

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(
                "error: Missing the command to run, e.g. 'voiceorder serve'. See 'voiceorder --help'.");
    }

    @Test
    void secretsGivenAsFlagsNeverReachTheErrorOutput() {
        Cli.Result r = cli(Map.of()).run("serve", "--openai-api-key", SECRET, "--twilio-auth-token", SECRET + "-t",
                "--media-stream-secret", SECRET + "-m", "--port", "99999");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: PORT must be a port number between 1 and 65535 (got \"99999\").");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }
}
