package io.voiceorder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/voiceorder} running the packaged jar (failsafe, after {@code package}), from an empty working
 * directory and without the build's OpenAI or serve variables in its environment.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("voiceorder.launcher", "../bin/voiceorder"));

    @TempDir
    Path dir;

    @Test
    void helpAndVersionAnswerFromThePackagedJar() throws Exception {
        Run help = run(List.of("--help"));
        Run version = run(List.of("--version"));

        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: voiceorder", "serve");
        assertThat(version.status()).isZero();
        assertThat(version.out().strip()).isEqualTo("voiceorder 1.0.0");
    }

    @Test
    void aUsageErrorExitsTwo() throws Exception {
        Run r = run(List.of("serve", "--bogus"));

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("error: Unknown option: '--bogus'. See 'voiceorder serve --help'.\n");
    }

    @Test
    void aRestaurantFileWithANegativePriceExitsTwoNamingTheFileAndField() throws Exception {
        String sample = Files.readString(Path.of("../examples/restaurant.yaml"));
        Files.writeString(dir.resolve("restaurant.yaml"), sample.replaceFirst("price: 9\\.50", "price: -9.50"));

        Run r = run(List.of("serve", "--port", String.valueOf(ServeCommandTest.freePort())));

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEqualTo("error: RESTAURANT_FILE ./restaurant.yaml: menu.items[2].price: must be a number >= 0.\n");
    }

    @Test
    void serveAnswersHealthAndStopsCleanlyOnSigterm() throws Exception {
        int port = ServeCommandTest.freePort();
        Path log = dir.resolve("serve.log");
        Process serve = launcher(List.of("serve", "--port", String.valueOf(port)))
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpResponse<String> health = awaitHealth(serve, port, log);
            assertThat(health.statusCode()).isEqualTo(200);
            // Nothing configured but the key: the bundled sample restaurant, an H2 database created under ./data.
            assertThat(health.body()).contains("\"status\":\"ok\"", "\"kind\":\"embedded\"", "\"database\":\"h2\"",
                    "\"defaultRestaurant\":\"da-marco\"");
            assertThat(dir.resolve("data").resolve("voiceorder.mv.db")).exists();

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("serve stopped").isTrue();
            assertThat(serve.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("voiceorder serve 1.0.0 ready on port " + port)
                    .doesNotContain("sk-launcher-test");
        } finally {
            serve.destroyForcibly();
        }
        assertThat(cdsArchives()).as("AppCDS archive recorded by the clean serve run").isNotEmpty();
    }

    private List<Path> cdsArchives() throws IOException {
        Path jarDirectory = LAUNCHER.toAbsolutePath().getParent().resolve("../cli/target").normalize();
        try (var files = Files.list(jarDirectory)) {
            return files.filter(f -> f.getFileName().toString().matches("voiceorder-\\d+\\.jsa")).toList();
        }
    }

    private static HttpResponse<String> awaitHealth(Process serve, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            assertThat(serve.isAlive()).as("serve is running; its log: %s", Files.readString(log)).isTrue();
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("serve answered /health within 30 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private ProcessBuilder launcher(List<String> args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("TWILIO_")
                || name.startsWith("VAD_") || name.startsWith("MAX_") || name.equals("PORT")
                || name.equals("PUBLIC_URL") || name.equals("RESTAURANT_ID") || name.equals("MEDIA_STREAM_SECRET")
                || name.startsWith("DATABASE_") || name.equals("RESTAURANT_FILE") || name.equals("VOICEORDER_BACKEND")
                || name.startsWith("NEXT_API_"));
        builder.environment().put("OPENAI_API_KEY", "sk-launcher-test");
        return builder;
    }

    private Run run(List<String> args) throws Exception {
        Process p = launcher(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private record Run(int status, String out) {
    }
}
