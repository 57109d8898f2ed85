package io.voiceorder.app.twilio;

import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The decision order of {@code /incoming-call} (serve.md §3.2) on a running serve with the embedded
 * backend: default restaurant, blocked callers, busy in the restaurant's language, automatic transfer.
 */
class IncomingCallDecisionTest {
    private static final String PUBLIC = "https://voice.example.com";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** The bundled sample restaurant with some of its lines replaced. */
    private String sampleWith(String... replacements) throws IOException {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/restaurants/sample.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int i = 0; i < replacements.length; i += 2) {
            assertThat(yaml).contains(replacements[i]);
            yaml = yaml.replace(replacements[i], replacements[i + 1]);
        }
        Path file = dir.resolve("restaurant-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file.toString();
    }

    private static ServeHarness serve(String... vars) {
        Map<String, String> all = new HashMap<>();
        all.put("PUBLIC_URL", PUBLIC);
        for (int i = 0; i < vars.length; i += 2) {
            all.put(vars[i], vars[i + 1]);
        }
        return ServeHarness.start(all);
    }

    private static HttpResponse<String> webhook(ServeHarness h, String callSid, String from) {
        String body = "CallSid=" + callSid + "&From=" + URLEncoder.encode(from, StandardCharsets.UTF_8)
                + "&To=%2B33972360682";
        return h.send(HttpRequest.newBuilder(URI.create(h.url("/incoming-call")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void withoutRestaurantIdTheStreamCarriesTheBackendsDefaultRestaurant() {
        try (ServeHarness h = serve()) {
            HttpResponse<String> r = webhook(h, "CA1", "+33612345678");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("<Parameter name=\"restaurantId\" value=\"da-marco\"/>").contains("<Connect>");
        }
    }

    @Test
    void aTransferResultWithoutRestaurantIdAlsoFallsBackToTheDefaultRestaurant() {
        try (ServeHarness h = serve()) {
            HttpResponse<String> r = h.send(HttpRequest.newBuilder(URI.create(h.url("/transfer-result")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("CallSid=CA7&From=%2B33612345678&DialCallStatus=busy")).build());
            assertThat(r.body()).contains("<Parameter name=\"restaurantId\" value=\"da-marco\"/>")
                    .contains("<Parameter name=\"transferFailed\" value=\"busy\"/>");
        }
    }

    @Test
    void aBlockedCallerIsRejectedWithoutRecordNorSlotAndLoggedMasked() {
        try (LogCapture logs = new LogCapture(); ServeHarness h = serve("MAX_PARALLEL_CALLS", "1")) {
            // The sample blocks +33699999999; the caller's number arrives in its national form.
            HttpResponse<String> r = webhook(h, "CA-blocked", "06 99 99 99 99");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
            assertThat(r.body()).contains("<Response><Reject/></Response>").doesNotContain("<Connect>");
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"blocked\"} 1.0");
            assertThat(logs.lines()).anyMatch(l -> l.contains("blocked caller") && l.contains("CA-blocked"))
                    .noneMatch(l -> l.contains("99999999") || l.contains("99 99 99"));
            // No slot was taken: with a single line, the next caller is still connected.
            assertThat(webhook(h, "CA-next", "+33612345678").body()).contains("<Connect>");
            assertThat(Rows.query(h.backend(), "SELECT * FROM calls")).isEmpty();
            assertThat(h.openai.connectionCount()).isZero();
        }
    }

    @Test
    void anonymousCallersAreNeverBlocked() {
        try (ServeHarness h = serve()) {
            for (String anonymous : List.of("", "anonymous", "Restricted", "+266696687")) {
                assertThat(webhook(h, "CA-" + anonymous.hashCode(), anonymous).body()).as(anonymous).contains("<Connect>");
            }
        }
    }

    @Test
    void busyIsSpokenInTheRestaurantsLanguage() throws Exception {
        try (ServeHarness h = serve("MAX_PARALLEL_CALLS", "1", "RESTAURANT_FILE", sampleWith("language: fr ", "language: en "))) {
            assertThat(webhook(h, "CA1", "+33612345678").body()).contains("<Connect>");
            assertThat(webhook(h, "CA2", "+33612345679").body())
                    .contains("<Say language=\"en-US\">All our lines are busy. Please call again in a few minutes.</Say><Hangup/>");
        }
        try (ServeHarness h = serve("MAX_PARALLEL_CALLS", "1", "RESTAURANT_FILE", sampleWith("language: fr ", "language: es "))) {
            assertThat(webhook(h, "CA1", "+33612345678").body()).contains("<Connect>");
            assertThat(webhook(h, "CA2", "+33612345679").body()).as("other languages use English")
                    .contains("<Say language=\"en-US\">");
        }
        try (ServeHarness h = serve("MAX_PARALLEL_CALLS", "1")) {
            assertThat(webhook(h, "CA1", "+33612345678").body()).contains("<Connect>");
            assertThat(webhook(h, "CA2", "+33612345679").body())
                    .contains("<Say language=\"fr-FR\">Toutes nos lignes sont occupées. Merci de rappeler dans quelques minutes.</Say>");
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"busy\"} 1.0");
        }
    }

    @Test
    void automaticTransferDialsTheRestaurantAndRecordsTheCallAsTransferred() throws Exception {
        String file = sampleWith("automatic: false", "automatic: true", "ring_timeout_s: 25", "ring_timeout_s: 30");
        try (ServeHarness h = serve("MAX_PARALLEL_CALLS", "1", "RESTAURANT_FILE", file)) {
            HttpResponse<String> r = webhook(h, "CA-auto", "06 12 34 56 70");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
            assertThat(r.body())
                    .contains("<Response><Dial timeout=\"30\" action=\"https://voice.example.com/transfer-result?restaurantId=da-marco\""
                            + " method=\"POST\">+33612345678</Dial></Response>")
                    .doesNotContain("<Stream").doesNotContain("<Connect>");

            await().atMost(WAIT).until(() -> !Rows.query(h.backend(), "SELECT * FROM calls").isEmpty());
            List<Map<String, Object>> calls = Rows.query(h.backend(), "SELECT * FROM calls");
            assertThat(calls).hasSize(1);
            Map<String, Object> call = calls.get(0);
            assertThat(call.get("outcome")).isEqualTo("transferred");
            assertThat(call.get("end_reason")).isEqualTo("transferred");
            assertThat(call.get("transfer_status")).isEqualTo("requested");
            assertThat(call.get("transfer_target")).isEqualTo("+33612345678");
            assertThat(call.get("call_sid")).isEqualTo("CA-auto");
            assertThat(call.get("mode")).isEqualTo("twilio");
            assertThat(call.get("direction")).isEqualTo("inbound");
            assertThat(call.get("caller_number")).isEqualTo("+33612345670");
            assertThat(call.get("called_number")).isEqualTo("+33972360682");
            assertThat(((Number) call.get("duration_sec")).longValue()).isZero();
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"transferred\"} 1.0");

            // No stream, so no slot: with a single line, the next call is dialled too; and no OpenAI at all.
            assertThat(webhook(h, "CA-auto-2", "+33612345671").body()).contains("<Dial timeout=\"30\"");
            assertThat(h.openai.connectionCount()).isZero();

            // Nobody answers: /transfer-result records it on the same record and brings the caller to the agent.
            HttpResponse<String> back = h.send(HttpRequest.newBuilder(URI.create(h.url("/transfer-result?restaurantId=da-marco")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("CallSid=CA-auto&From=%2B33612345670&To=%2B33972360682"
                            + "&Direction=inbound&DialCallStatus=no-answer")).build());
            assertThat(back.body()).contains("<Parameter name=\"transferFailed\" value=\"no-answer\"/>");
            await().atMost(WAIT).until(() -> "no-answer".equals(
                    Rows.query(h.backend(), "SELECT transfer_status FROM calls WHERE call_sid = ?", "CA-auto").get(0).get("transfer_status")));
        }
    }

    @Test
    void overCapacityBusyComesBeforeAutomaticTransfer() throws Exception {
        String file = sampleWith("automatic: false", "automatic: true");
        try (ServeHarness h = serve("MAX_PARALLEL_CALLS", "1", "RESTAURANT_FILE", file)) {
            assertThat(h.serve.context().getBean(CallRegistry.class).reserve("CA-held")).isTrue();
            assertThat(webhook(h, "CA-late", "+33612345678").body()).contains("<Say language=\"fr-FR\">").doesNotContain("<Dial");
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
            assertThat(Rows.query(h.backend(), "SELECT * FROM calls")).isEmpty();
        }
    }

    @Test
    void automaticTransferWithoutANumberToDialConnectsTheStream() throws Exception {
        String file = sampleWith("automatic: false", "automatic: true", "phone_number: \"+33612345678\"", "phone_number: \"\"");
        try (ServeHarness h = serve("RESTAURANT_FILE", file)) {
            assertThat(webhook(h, "CA1", "+33612345670").body()).contains("<Connect>").doesNotContain("<Dial");
        }
    }
}
