package io.voiceorder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voiceorder serve} in-process on a real socket. */
class ServeCommandTest {
    private static final String KEY = "sk-test-serve-3c2b1a";

    @TempDir
    Path dir;

    /** The key, and the embedded database in this test's directory (the JVM's working directory is the module's). */
    private Map<String, String> env() {
        return Map.of("OPENAI_API_KEY", KEY, "DATABASE_URL",
                "jdbc:h2:file:" + dir.resolve("data/voiceorder") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0");
    }

    @Test
    void servesHealthUntilAskedToStopThenExitsZero() throws Exception {
        int port = freePort();
        CountDownLatch stop = new CountDownLatch(1);
        Cli cli = new Cli(env(), dir, stop::await);

        CompletableFuture<Cli.Result> serve = CompletableFuture.supplyAsync(() -> cli.run("serve", "--port", String.valueOf(port)));
        HttpResponse<String> health = awaitHealth(port, serve);
        stop.countDown();
        Cli.Result result = serve.get(15, TimeUnit.SECONDS);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").doesNotContain(KEY);
        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(awaitReleased(port)).as("serve released port %d within 10 s", port).isTrue();
    }

    /** Netty closes its listening channel on its event loop, shortly after stop() returns. */
    private static boolean awaitReleased(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ServerSocket released = new ServerSocket(port)) {
                return true;
            } catch (IOException stillBound) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    @Test
    void aTakenPortIsARuntimeFailure() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();

            Cli.Result r = new Cli(env(), dir).run("serve", "--port", String.valueOf(port));

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err().strip()).isEqualTo("error: port " + port
                    + " is already in use (PORT, flag --port). Stop the other process or choose another port.");
        }
    }

    @Test
    void verboseAddsTheStackTraceBeforeTheSentence() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();

            Cli.Result r = new Cli(env(), dir).run("serve", "--verbose", "--port", String.valueOf(port));

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).contains("ServerStartException", "BindException", "\tat ")
                    .endsWith("Stop the other process or choose another port." + System.lineSeparator())
                    .doesNotContain(KEY);
        }
    }

    private static HttpResponse<String> awaitHealth(int port, CompletableFuture<Cli.Result> serve) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            assertThat(serve).as("serve exited early: %s", serve.isDone() ? serve.join() : null).isNotDone();
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("serve answered /health in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
