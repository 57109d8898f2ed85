package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbound calls end to end: POST /api/calls → bridge → kamailio (407 answered) → sipp callee. */
@RequiresPeers({KAMAILIO, SIPP})
class OutboundCallTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private Sipp callee(String scenario, Map<String, String> keys, int ringMs) throws Exception {
        return Sipp.callee(scenario, harness.calleePort, keys, ringMs, dir.resolve("callee"));
    }

    private String place(String body) throws Exception {
        HttpResponse<String> reply = harness.post("/api/calls", body);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        JsonNode call = ServeStandIn.parse(reply.body());
        assertThat(call.path("status").asText()).isEqualTo("initiated");
        assertThat(reply.headers().firstValue("Location")).hasValue("/api/calls/" + call.path("sid").asText());
        return call.path("sid").asText();
    }

    private JsonNode call(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body());
    }

    @Test
    void aNationalNumberIsDialledThroughTheTrunkAndStreamedOutboundAfterThe200() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp callee = callee("uas.xml", Map.of(), 500)) {
            String sid = place("{\"to\": \"06 12 34 56 78\", \"customParams\": {\"purpose\": \"order-ready\"}}");
            assertThat(call(sid).path("to").asText()).isEqualTo("+33612345678");

            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("status").asText().equals("active"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !harness.serve.streams().isEmpty()
                    && harness.serve.streams().get(0).size() > 1);
            JsonNode start = ServeStandIn.parse(harness.serve.streams().get(0).get(1));
            JsonNode params = start.path("start").path("customParameters");
            assertThat(params.path("direction").asText()).isEqualTo("outbound");
            assertThat(params.path("callerPhone").asText()).isEqualTo("+33612345678");
            assertThat(params.path("to").asText()).isEqualTo("06 12 34 56 78");
            assertThat(params.path("purpose").asText()).isEqualTo("order-ready");
            assertThat(params.path("restaurantId").asText()).isEqualTo("r1");

            HttpResponse<String> digits = harness.post("/api/calls/" + sid + "/dtmf", "{\"digits\": \"12#\"}");
            assertThat(digits.statusCode()).as(digits.body()).isEqualTo(200);
            assertThat(ServeStandIn.parse(digits.body()).path("status").asText()).isEqualTo("queued");
            assertThat(harness.post("/api/calls/" + sid + "/dtmf", "{\"digits\": \"12x\"}").statusCode()).isEqualTo(400);

            HttpResponse<String> deleted = harness.delete("/api/calls/" + sid);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(ServeStandIn.parse(deleted.body()).path("status").asText()).isEqualTo("cancelled");
            assertThat(callee.awaitExit(15_000)).as(callee.output()).isZero();
            String messages = callee.messages();
            assertThat(messages).contains("INVITE sip:0612345678@").contains("From: <sip:" + BridgeHarness.USER + "@127.0.0.1>");
        }
        JsonNode ended = call(ServeStandIn.parse(harness.get("/api/calls").body()).get(0).path("sid").asText());
        assertThat(ended.path("endReason").asText()).isEqualTo("api-hangup");
        assertThat(ended.path("status").asText()).isEqualTo("cancelled");
        HttpResponse<String> again = harness.delete("/api/calls/" + ended.path("sid").asText());
        assertThat(ServeStandIn.parse(again.body()).path("status").asText()).as("already ended: its final status").isEqualTo("cancelled");
        assertThat(harness.post("/api/calls/" + ended.path("sid").asText() + "/dtmf", "{\"digits\": \"1\"}").statusCode())
                .isEqualTo(409);
    }

    @Test
    void busyAndFailedCalleesMapToTheirStatuses() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        for (Map.Entry<String, String> c : Map.of("486", "busy", "480", "no-answer", "404", "failed").entrySet()) {
            try (Sipp callee = callee("uas-refuse.xml", Map.of("reply", c.getKey()), 0)) {
                String sid = place("{\"to\": \"+33612345678\"}");
                await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("status").asText().equals(c.getValue()));
                assertThat(call(sid).path("sipCode").asInt()).isEqualTo(Integer.parseInt(c.getKey()));
                assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();
            }
        }
        assertThat(harness.serve.upgradePaths()).as("no stream for a call never answered").isEmpty();
    }

    @Test
    void aCalleeThatOnlyRingsIsCancelledAtTheRingTimeout() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp callee = callee("uas-ring-only.xml", Map.of(), 0)) {
            String sid = place("{\"to\": \"+33612345678\", \"timeoutSec\": 5}");
            await().atMost(Duration.ofSeconds(3)).until(() -> call(sid).path("status").asText().equals("ringing"));
            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("status").asText().equals("no-answer"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("ring-timeout");
            assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();
        }
    }

    @Test
    void destinationsOutsideTheAllowedPrefixesAndTheHourlyCapAreRefusedBeforeAnyInvite() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("MAX_OUTBOUND_PER_HOUR", "2", "WS_TARGET", "ws://127.0.0.1:9/media-stream"));

        HttpResponse<String> foreign = harness.post("/api/calls", "{\"to\": \"+447700900123\"}");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(ServeStandIn.parse(foreign.body()).path("error").asText()).isEqualTo("destination_not_allowed");

        HttpResponse<String> unreachable = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
        assertThat(unreachable.statusCode()).isEqualTo(503);
        assertThat(ServeStandIn.parse(unreachable.body()).path("error").asText()).isEqualTo("ws_target_unreachable");
        harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
        HttpResponse<String> capped = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
        assertThat(capped.statusCode()).isEqualTo(429);
        assertThat(ServeStandIn.parse(capped.body()).path("error").asText()).isEqualTo("hourly_cap");
        assertThat(capped.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> bad = harness.post("/api/calls", "{\"to\": \"\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ServeStandIn.parse(bad.body()).path("message").asText()).contains("'to'");
        assertThat(harness.calls()).isEmpty();
    }
}
