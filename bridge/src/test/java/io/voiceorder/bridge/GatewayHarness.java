package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.call.CallTimings;
import io.voiceorder.bridge.config.BridgeConfigParser;
import io.voiceorder.bridge.sip.SipTimings;
import io.voiceorder.fixtures.sip.FreePorts;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A bridge without a trunk (gateway and/or peer mode) on 127.0.0.1, a serve stand-in, and its bindings directory. */
final class GatewayHarness implements AutoCloseable {
    final ServeStandIn serve;
    final Path dataDir;
    private final Map<String, String> vars;
    private final HttpClient http = HttpClient.newHttpClient();
    BridgeServer bridge;

    private GatewayHarness(ServeStandIn serve, Path dataDir, Map<String, String> vars) {
        this.serve = serve;
        this.dataDir = dataDir;
        this.vars = vars;
    }

    static GatewayHarness start(Path dir, Map<String, String> extraVars) {
        ServeStandIn serve = new ServeStandIn();
        Map<String, String> vars = new HashMap<>();
        vars.put("SIP_BIND_ADDRESS", "127.0.0.1");
        vars.put("WS_TARGET", serve.url());
        int rtp = FreePorts.evenUdpPair();
        vars.put("RTP_PORTS", Math.max(1024, rtp - 100) + "-" + Math.min(65535, rtp + 100));
        vars.put("RESTAURANT_ID", "r1");
        vars.put("COUNTRY_CODE", "+33");
        vars.put("LOG_LEVEL", "debug");
        vars.putAll(extraVars);
        GatewayHarness harness = new GatewayHarness(serve, dir.resolve("data"), vars);
        try {
            harness.startBridge();
        } catch (RuntimeException e) {
            serve.close();
            throw e;
        }
        return harness;
    }

    private void startBridge() {
        vars.put("SIP_PORT", String.valueOf(FreePorts.udpAndTcp()));
        vars.put("BRIDGE_API_PORT", String.valueOf(FreePorts.udpAndTcp()));
        bridge = BridgeServer.start(BridgeConfigParser.parse(vars, List.of(), List.of()), SipTimings.standard(),
                new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                List.of(Duration.ofMillis(200)), dataDir);
    }

    /** Stops the bridge and starts a new one with the same settings and bindings directory (new ports). */
    void restart() {
        bridge.close();
        startBridge();
    }

    String sipTarget() {
        return "127.0.0.1:" + bridge.sipPort();
    }

    JsonNode health() throws Exception {
        return ServeStandIn.parse(get("/health").body());
    }

    JsonNode device(String user) throws Exception {
        for (JsonNode d : health().path("devices")) {
            if (d.path("user").asText().equals(user)) {
                return d;
            }
        }
        throw new AssertionError("no device " + user + " in /health");
    }

    JsonNode calls() throws Exception {
        return ServeStandIn.parse(get("/api/calls").body());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort() + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends one out-of-dialog request from {@code fromIp} (any 127.x address) and returns the status line of the
     * first final response, or null when none came within {@code waitMs}.
     */
    String probe(String fromIp, String method, long waitMs) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromIp), 0))) {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            String text = method + " sip:0972360682@" + sipTarget() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + fromIp + ":" + socket.getLocalPort() + ";branch=z9hG4bK-" + tag + ";rport\r\n"
                    + "From: <sip:probe@" + fromIp + ">;tag=" + tag + "\r\n"
                    + "To: <sip:0972360682@" + sipTarget() + ">\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + "Contact: <sip:probe@" + fromIp + ":" + socket.getLocalPort() + ">\r\n"
                    + "Max-Forwards: 70\r\nUser-Agent: loopback-probe\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), bridge.sipPort()));
            long deadline = System.nanoTime() + waitMs * 1_000_000L;
            byte[] buffer = new byte[65536];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                String status = response.substring(0, response.indexOf("\r\n"));
                if (!status.startsWith("SIP/2.0 1")) {
                    return response;
                }
            }
        }
    }

    @Override
    public void close() {
        bridge.close();
        serve.close();
    }
}
