package io.voiceorder.cli;

import io.voiceorder.bridge.BridgeServer;
import io.voiceorder.bridge.config.BridgeConfigParser;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Kamailio;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.ws.LoopbackWebSocketServer;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code voiceorder call +33… --via bridge} end to end: the bridge registered to kamailio rings a sipp callee,
 * a serve stand-in hangs up after a second, and the command reports each status and exits 0.
 */
class CallViaBridgeTest {
    private static final String USER = "0033972360682";
    private static final String PASSWORD = "trunk-pass-cli-e2e";
    private static final String TOKEN = "cli-e2e-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void ringsASippCalleeThroughKamailioAndReportsEachStatus() throws Exception {
        assumeTrue(Kamailio.available(), "kamailio is not installed (Debian package kamailio; .ci/run installs it): skipped");
        assumeTrue(Sipp.available(), "sipp is not installed (Debian package sip-tester; .ci/run installs it): skipped");
        int calleePort = FreePorts.udpAndTcp();
        int apiPort = FreePorts.udpAndTcp();
        int rtp = FreePorts.evenUdpPair();
        try (Kamailio kamailio = Kamailio.start(Kamailio.defaults(USER, PASSWORD).withCalleePort(calleePort), dir.resolve("k"));
             LoopbackWebSocketServer serve = LoopbackWebSocketServer.start(request -> LoopbackWebSocketServer.Decision.accept(
                     new HangUpAfterStart()));
             Sipp callee = Sipp.callee("uas.xml", calleePort, Map.of(), 300, dir.resolve("callee"))) {
            BridgeServer bridge = BridgeServer.start(BridgeConfigParser.parse(Map.of("SIP_USERNAME", USER, "SIP_PASSWORD", PASSWORD,
                    "SIP_DOMAIN", kamailio.domain(), "SIP_BIND_ADDRESS", "127.0.0.1", "BRIDGE_API_PORT", String.valueOf(apiPort),
                    "BRIDGE_API_TOKEN", TOKEN, "BRIDGE_API_BIND", "127.0.0.1", "WS_TARGET",
                    "ws://127.0.0.1:" + serve.port() + "/media-stream", "RTP_PORTS", Math.max(1024, rtp - 50) + "-" + (rtp + 50)),
                    List.of(), List.of()));
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(5)).until(() -> http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                        .body().contains("\"sip_registered\":true"));

                Cli.Result r = new Cli(Map.of("BRIDGE_API_TOKEN", TOKEN, "BRIDGE_URL", "http://127.0.0.1:" + apiPort), dir)
                        .run("call", "+33612345678", "--via", "bridge", "--wait", "--timeout", "10");

                assertThat(r.status()).as(r.out() + r.err()).isZero();
                assertThat(r.out()).matches("(?s)[0-9a-f-]{36}\\R.*").contains("ringing").contains("completed")
                        .contains("app-hangup").doesNotContain(TOKEN);
                assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();
            } finally {
                bridge.shutdown();
            }
        }
    }

    /** serve's stand-in: closes the stream one second after {@code start}. */
    private static final class HangUpAfterStart implements LoopbackWebSocketServer.Handler {
        @Override
        public void onOpen(WebSocket connection) {
        }

        @Override
        public void onText(WebSocket connection, String text) {
            if (text.contains("\"event\":\"start\"")) {
                Thread closer = new Thread(() -> {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    connection.close(1000);
                });
                closer.setDaemon(true);
                closer.start();
            }
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        }
    }
}
