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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voiceorder bridge}: flags, usage errors, and the bridge running in-process until stopped. */
class BridgeCommandTest {
    private static final String PASSWORD = "trunk-secret-93ab1";
    private static final List<String> FLAGS = List.of("--sip-domain", "--sip-username", "--sip-password", "--sip-port",
            "--sip-transport", "--sip-reg-timeout", "--stun-server", "--turn-server", "--turn-username", "--turn-password",
            "--no-ice", "--no-ec", "--ec-tail-ms", "--vad", "--rx-gain", "--tx-gain", "--ws-target", "--api-port",
            "--no-auto-answer", "--max-call-duration", "--max-concurrent-calls", "--param", "--status-callback-url",
            "--incoming-callback-url", "--callback-method", "--callback-timeout", "--device", "--allow-from", "--drop-unknown",
            "--rtp-ports", "--bind-address", "--public-address", "--country-code", "--allow-dial", "--max-outbound-per-hour",
            "--transfer-mode", "--api-token", "--api-bind", "--media-stream-secret", "--ws-signature-url", "--callback-secret",
            "--jitter-buffer-ms", "--rtp-timeout", "--log-level", "--log-format");

    @TempDir
    Path dir;

    @Test
    void helpListsEveryFlagWithItsVariableAndDefault() {
        Cli.Result r = new Cli(Map.of("SIP_PASSWORD", PASSWORD), dir).run("bridge", "--help");

        assertThat(r.status()).isZero();
        for (String flag : FLAGS) {
            assertThat(r.out()).as(flag).contains(flag);
        }
        assertThat(r.out()).contains("(SIP_DOMAIN, default: sip.twilio.com)").contains("(MAX_CONCURRENT_CALLS, default: 10)")
                .contains("SIP_NO_ICE").contains("BRIDGE_API_TOKEN").contains("ALLOW_DIAL").doesNotContain(PASSWORD);
        // What --no-ice means here (bridge.md §2.1): no ICE in SDP; it turns per-call STUN and TURN off for media.
        assertThat(r.out()).contains("puts ICE candidates in SDP").contains("--no-ice turns both off for media")
                .contains("direct. STUN still gives the SIP Contact address.");
    }

    @Test
    void withoutAWayInItExitsTwoNamingTheThree() {
        Cli.Result r = new Cli(Map.of(), dir).run("bridge");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--sip-username").contains("--device").contains("--allow-from");
    }

    @Test
    void aBadValueNamesTheFlagItsVariableAndTheFix() {
        Cli.Result r = new Cli(Map.of("SIP_USERNAME", "0033972360682", "SIP_PASSWORD", PASSWORD), dir)
                .run("bridge", "--sip-reg-timeout", "5");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("error: SIP_REG_TIMEOUT (flag --sip-reg-timeout) must be a whole number of "
                + "seconds between 60 and 3600 (got \"5\"): fix the flag or the variable.");
        assertThat(r.err()).doesNotContain(PASSWORD);
    }

    @Test
    void combinationsThatWouldMakeAFlagMeaninglessAreRefused() {
        Map<String, String> env = Map.of("SIP_USERNAME", "0033972360682");
        assertThat(new Cli(env, dir).run("bridge", "--sip-transport", "tls").err()).contains("TLS transport is not available yet");
        Cli.Result sharedPort = new Cli(env, dir).run("bridge", "--sip-transport", "tcp", "--sip-port", "5071", "--api-port", "5071");
        assertThat(sharedPort.status()).as("tcp SIP on the API's TCP port").isEqualTo(2);
        assertThat(sharedPort.err()).contains("SIP_TRANSPORT=tcp").contains("choose two different ports");
        assertThat(new Cli(env, dir).run("bridge", "--no-auto-answer").err()).contains("INCOMING_CALLBACK_URL");
        assertThat(new Cli(env, dir).run("bridge", "--api-bind", "0.0.0.0").err()).contains("BRIDGE_API_TOKEN");
        assertThat(new Cli(env, dir).run("bridge", "--ec-tail-ms", "100").err()).contains("echo cancellation is not available");
        assertThat(new Cli(env, dir).run("bridge", "--param", "callSid=x").err()).contains("reserved");
        assertThat(new Cli(env, dir).run("bridge", "--device", "ht 841:" + PASSWORD).err())
                .contains("--device").doesNotContain(PASSWORD);
        assertThat(new Cli(env, dir).run("bridge", "--allow-from", "10.0.0.0/33").err()).contains("--allow-from");
        assertThat(new Cli(env, dir).run("bridge", "--api-token", "short").status()).isEqualTo(2);
    }

    @Test
    void runsTheBridgeWithItsOwnApiUntilStoppedThenExitsZero() throws Exception {
        int apiPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("SIP_USERNAME", "0033972360682");
        env.put("SIP_PASSWORD", PASSWORD);
        env.put("SIP_DOMAIN", "127.0.0.1:" + freePort());
        env.put("SIP_BIND_ADDRESS", "127.0.0.1");
        env.put("RESTAURANT_ID", "r1");
        CountDownLatch stop = new CountDownLatch(1);
        Cli cli = new Cli(env, dir, stop::await);

        CompletableFuture<Cli.Result> bridge = CompletableFuture.supplyAsync(() -> cli.run("bridge", "--api-port",
                String.valueOf(apiPort), "--rtp-ports", "30000-30100"));
        HttpResponse<String> health = await(apiPort, "/health", bridge);
        HttpResponse<String> serveRoute = get(apiPort, "/incoming-call");
        stop.countDown();
        Cli.Result result = bridge.get(15, TimeUnit.SECONDS);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"sip_account\":\"0033972360682@127.0.0.1\"").contains("\"sip_registered\":false")
                .doesNotContain(PASSWORD);
        assertThat(serveRoute.statusCode()).as("serve's routes are not part of the bridge").isEqualTo(404);
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain(PASSWORD);
    }

    private static HttpResponse<String> await(int port, String path, CompletableFuture<Cli.Result> running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (running.isDone()) {
                throw new AssertionError("the bridge exited: " + running.get().err());
            }
            try {
                return get(port, path);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the bridge did not answer " + path + " within 20 s");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
