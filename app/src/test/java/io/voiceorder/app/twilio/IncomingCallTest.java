package io.voiceorder.app.twilio;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Twilio's voice webhook: signature, TwiML, capacity. */
class IncomingCallTest {
    private static final String TOKEN = "twilio-auth-token-31";
    private static final String PUBLIC = "https://voice.example.com";

    private static Map<String, String> form() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CallSid", "CA5f0c9a1b2c3d4e5f60718293a4b5c6d7");
        f.put("From", "+33612345678");
        f.put("To", "+33972360682");
        f.put("AccountSid", "AC00000000000000000000000000000000");
        return f;
    }

    private static HttpResponse<String> post(ServeHarness h, Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url("/incoming-call")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return h.send(b.build());
    }

    @Test
    void aSignedWebhookGetsStreamTwimlWithTheCallParameters() {
        try (ServeHarness h = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_URL", PUBLIC, "RESTAURANT_ID", "da-marco"))) {
            HttpResponse<String> r = post(h, form(), TwilioSignature.signForm(TOKEN, PUBLIC + "/incoming-call", form()));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
            assertThat(r.body())
                    .contains("<Pause length=\"1\"/>")
                    .contains("<Stream url=\"wss://voice.example.com/media-stream\">")
                    .contains("<Parameter name=\"callerPhone\" value=\"+33612345678\"/>")
                    .contains("<Parameter name=\"restaurantId\" value=\"da-marco\"/>")
                    .contains("<Parameter name=\"callSid\" value=\"CA5f0c9a1b2c3d4e5f60718293a4b5c6d7\"/>")
                    .contains("<Parameter name=\"direction\" value=\"inbound\"/>")
                    .contains("<Parameter name=\"to\" value=\"+33972360682\"/>")
                    .endsWith("</Connect>\n</Response>\n");
        }
    }

    @Test
    void aForgedOrMissingSignatureGets403AndNothingElse() {
        try (LogCapture logs = new LogCapture();
             ServeHarness h = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_URL", PUBLIC))) {
            String forged = TwilioSignature.signForm("wrong", PUBLIC + "/incoming-call", form());
            assertThat(post(h, form(), forged).statusCode()).isEqualTo(403);
            assertThat(post(h, form(), null).statusCode()).isEqualTo(403);
            Map<String, String> tampered = form();
            tampered.put("From", "+33700000000");
            assertThat(post(h, tampered, TwilioSignature.signForm(TOKEN, PUBLIC + "/incoming-call", form())).statusCode()).isEqualTo(403);
            assertThat(h.openai.connectionCount()).isZero();
            assertThat(logs.lines()).noneMatch(l -> l.contains(forged));
            assertThat(h.get("/metrics").body())
                    .contains("voiceorder_requests_rejected_total{endpoint=\"incoming-call\",reason=\"signature\"} 3.0");
        }
    }

    @Test
    void getCarriesParametersInTheQueryAndMissingCallSidIs400() {
        try (ServeHarness h = ServeHarness.start(Map.of("PUBLIC_URL", PUBLIC))) {
            HttpResponse<String> ok = h.get("/incoming-call?CallSid=CA1&From=%2B33612345678&To=%2B33972360682");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("value=\"CA1\"").doesNotContain("media-stream?");
            HttpResponse<String> missing = h.get("/incoming-call?From=%2B33612345678");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).isEqualTo("missing CallSid");
        }
    }

    @Test
    void overCapacityTheWebhookAnswersTheBusyTwiml() {
        try (ServeHarness h = ServeHarness.start(Map.of("MAX_PARALLEL_CALLS", "1"))) {
            assertThat(h.get("/incoming-call?CallSid=CA1").body()).contains("<Connect>");
            HttpResponse<String> busy = h.get("/incoming-call?CallSid=CA2");
            assertThat(busy.body()).contains("<Say language=\"fr-FR\">Toutes nos lignes sont occupées.").contains("<Hangup/>");
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"busy\"} 1.0");
        }
    }

    @Test
    void otherContentTypesAre415AndOtherMethods405() {
        try (ServeHarness h = ServeHarness.start()) {
            HttpResponse<String> json = h.send(HttpRequest.newBuilder(URI.create(h.url("/incoming-call")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(json.statusCode()).isEqualTo(415);
            HttpResponse<String> put = h.send(HttpRequest.newBuilder(URI.create(h.url("/incoming-call")))
                    .PUT(HttpRequest.BodyPublishers.ofString("")).build());
            assertThat(put.statusCode()).isEqualTo(405);
        }
    }
}
