package io.voiceorder.app.twilio;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.http.HttpRestaurantBackend;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /transfer-result} (serve.md §3.3) on a running serve whose backend is the back office (WireMock). */
class TransferResultTest {
    private static final String TOKEN = "twilio-auth-token-77";
    private static final String PUBLIC = "https://voice.example.com";
    private static final String CALL_SID = "CA5f0c9a1b2c3d4e5f60718293a4b5c6d7";
    private static final String PATH = "/transfer-result?restaurantId=da-marco";

    private WireMockServer office;
    private ServeHarness serve;

    @BeforeEach
    void start() throws Exception {
        office = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        office.start();
        office.stubFor(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-9\"}")));
        office.stubFor(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
        serve = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_URL", PUBLIC, "RESTAURANT_ID", "da-marco",
                "VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl()));
        RestaurantBackend backend = serve.serve.context().getBean(RestaurantBackend.class);
        assertThat(backend).isInstanceOf(HttpRestaurantBackend.class);
        backend.startCall(new CallStart("da-marco", CALL_SID, "MZ1", "twilio", "inbound", "+33612345678", "+33972360682",
                null, Instant.now()));
    }

    @AfterEach
    void stop() {
        serve.close();
        office.stop();
    }

    private static Map<String, String> form(String dialStatus) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CallSid", CALL_SID);
        f.put("From", "+33612345678");
        f.put("To", "+33972360682");
        f.put("Direction", "inbound");
        if (dialStatus != null) {
            f.put("DialCallStatus", dialStatus);
        }
        return f;
    }

    private HttpResponse<String> postForm(Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.url(PATH)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return serve.send(b.build());
    }

    private HttpResponse<String> signedPost(Map<String, String> form) {
        return postForm(form, TwilioSignature.signForm(TOKEN, PUBLIC + PATH, form));
    }

    private void awaitTransferStatus(String status) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> office.verify(patchRequestedFor(urlPathEqualTo("/api/calls"))
                .withRequestBody(equalToJson("{\"id\":\"call-9\",\"transferStatus\":\"" + status + "\"}"))));
    }

    @Test
    void answeredDialHangsUpAndRecordsCompleted() {
        HttpResponse<String> r = signedPost(form("completed"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(r.body()).contains("<Response><Hangup/></Response>").doesNotContain("<Stream");
        awaitTransferStatus("completed");
    }

    @Test
    void unansweredDialBringsTheCallerBackToTheAgent() {
        HttpResponse<String> r = signedPost(form("no-answer"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .doesNotContain("<Pause")
                .contains("<Stream url=\"wss://voice.example.com/media-stream\">")
                .contains("<Parameter name=\"callerPhone\" value=\"+33612345678\"/>")
                .contains("<Parameter name=\"restaurantId\" value=\"da-marco\"/>")
                .contains("<Parameter name=\"callSid\" value=\"" + CALL_SID + "\"/>")
                .contains("<Parameter name=\"direction\" value=\"inbound\"/>")
                .contains("<Parameter name=\"to\" value=\"+33972360682\"/>")
                .contains("<Parameter name=\"transferFailed\" value=\"no-answer\"/>");
        awaitTransferStatus("no-answer");

        for (String status : new String[] {"busy", "failed", "canceled"}) {
            assertThat(signedPost(form(status)).body()).contains("<Parameter name=\"transferFailed\" value=\"" + status + "\"/>");
            awaitTransferStatus(status);
        }
    }

    @Test
    void aMissingDialStatusCountsAsFailed() {
        assertThat(signedPost(form(null)).body()).contains("<Parameter name=\"transferFailed\" value=\"failed\"/>");
        awaitTransferStatus("failed");
    }

    @Test
    void aForgedOrMissingSignatureIs403AndChangesNothing() throws Exception {
        Map<String, String> f = form("completed");
        assertThat(postForm(f, null).statusCode()).isEqualTo(403);
        assertThat(postForm(f, TwilioSignature.signForm("wrong", PUBLIC + PATH, f)).statusCode()).isEqualTo(403);
        assertThat(postForm(f, TwilioSignature.signForm(TOKEN, PUBLIC + "/transfer-result?restaurantId=other", f)).statusCode())
                .as("signed for another query").isEqualTo(403);
        Thread.sleep(300);
        office.verify(0, patchRequestedFor(anyUrl()));
        assertThat(serve.get("/metrics").body())
                .contains("voiceorder_requests_rejected_total{endpoint=\"transfer-result\",reason=\"signature\"} 3.0");
    }

    @Test
    void aMissingCallSidIs400() {
        Map<String, String> f = form("completed");
        f.remove("CallSid");
        HttpResponse<String> r = signedPost(f);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("missing CallSid");
    }
}
