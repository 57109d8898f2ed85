package io.voiceorder.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code voiceorder call} against a stand-in of the bridge's REST API (a JDK HTTP server on loopback). */
class CallCommandTest {
    private static final String TOKEN = "bridge-token-0123456789abcdef";
    private static final String SID = "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90";

    @TempDir
    Path dir;

    private HttpServer bridge;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.stop(0);
        }
    }

    private String startBridge(int postStatus, String postBody, List<String> statuses) throws IOException {
        bridge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger polls = new AtomicInteger();
        bridge.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"ok\",\"sip_registered\":true}"));
        bridge.createContext("/api/calls", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (ex.getRequestMethod().equals("POST")) {
                requests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(ex, postStatus, postBody);
            } else {
                String status = statuses.get(Math.min(polls.getAndIncrement(), statuses.size() - 1));
                reply(ex, 200, "{\"sid\":\"" + SID + "\",\"status\":\"" + status + "\",\"durationSec\":"
                        + (status.equals("completed") ? 3 : 0) + ",\"endReason\":"
                        + (status.equals("completed") ? "\"caller-hangup\"" : "null") + "}");
            }
        });
        bridge.start();
        return "http://127.0.0.1:" + bridge.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private Cli cli(Map<String, String> env) {
        return new Cli(env, dir);
    }

    @Test
    void placesTheCallFollowsEachStatusAndExitsZeroWhenCompleted() throws Exception {
        String url = startBridge(201, "{\"sid\":\"" + SID + "\",\"status\":\"initiated\"}",
                List.of("initiated", "ringing", "answered", "active", "completed"));

        Cli.Result r = cli(Map.of("BRIDGE_API_TOKEN", TOKEN, "RESTAURANT_ID", "r1"))
                .run("call", "0612345678", "--via", "bridge", "--bridge-url", url, "--wait", "--param", "purpose=order-ready",
                        "--timeout", "20");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(SID).contains("ringing").contains("answered").contains("completed (3 s), caller-hangup");
        assertThat(requests.get(0)).contains("\"to\":\"0612345678\"").contains("\"restaurantId\":\"r1\"")
                .contains("\"purpose\":\"order-ready\"").contains("\"timeoutSec\":20");
        assertThat(authorizations).containsOnly("Bearer " + TOKEN);
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
    }

    @Test
    void aCallThatEndsBusyExitsOneAndJsonPrintsTheCallObject() throws Exception {
        String url = startBridge(201, "{\"sid\":\"" + SID + "\",\"status\":\"initiated\"}", List.of("ringing", "busy"));

        Cli.Result r = cli(Map.of()).run("call", "+33612345678", "--bridge-url", url, "--wait", "--json");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out().strip()).startsWith("{").contains("\"status\":\"busy\"");
    }

    @Test
    void withoutWaitItPrintsTheSidAndReturns() throws Exception {
        String url = startBridge(201, "{\"sid\":\"" + SID + "\",\"status\":\"initiated\"}", List.of("ringing"));

        Cli.Result r = cli(Map.of()).run("call", "+33612345678", "--bridge-url", url, "--no-wait");

        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).isEqualTo(SID);
    }

    @Test
    void refusalsOfTheBridgeBecomeSentences() throws Exception {
        String url = startBridge(401, "{\"error\":\"unauthorized\",\"message\":\"x\"}", List.of());
        assertThat(cli(Map.of()).run("call", "+33612345678", "--bridge-url", url, "--no-wait").err())
                .contains("BRIDGE_API_TOKEN");
        bridge.stop(0);
        url = startBridge(403, "{\"error\":\"destination_not_allowed\",\"message\":\"The destination +447700900123 does not "
                + "start with an allowed prefix.\"}", List.of());
        Cli.Result notAllowed = cli(Map.of()).run("call", "+447700900123", "--bridge-url", url, "--no-wait");
        assertThat(notAllowed.status()).isEqualTo(2);
        assertThat(notAllowed.err()).contains("does not allow this destination").contains("ALLOW_DIAL");
        bridge.stop(0);
        url = startBridge(429, "{\"error\":\"hourly_cap\",\"message\":\"retry in 60 s.\"}", List.of());
        assertThat(cli(Map.of()).run("call", "+33612345678", "--bridge-url", url, "--no-wait").err()).contains("hourly cap");
    }

    @Test
    void anUnreachableBridgeIsSaidSo() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Result auto = cli(Map.of()).run("call", "+33612345678", "--bridge-url", "http://127.0.0.1:" + closed);
        assertThat(auto.status()).isEqualTo(2);
        assertThat(auto.err()).contains("no bridge answers").contains("BRIDGE_URL")
                .contains("TWILIO_ACCOUNT_SID").contains("TWILIO_AUTH_TOKEN");
        Cli.Result direct = cli(Map.of()).run("call", "+33612345678", "--via", "bridge", "--bridge-url", "http://127.0.0.1:" + closed);
        assertThat(direct.status()).isEqualTo(1);
        assertThat(direct.err()).contains("is not reachable");
    }
}
