package io.voiceorder.app.twilio;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.voiceorder.app.support.LogCapture;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /incoming-call} (serve.md §3.2) on a running serve whose backend is the back office
 * (WireMock): signature before any look-up, blocked check and its failure rules, automatic transfer,
 * and the 2 s caps that let the stream decide when the back office is slow.
 */
class IncomingCallHttpBackendTest {
    private static final String TOKEN = "twilio-auth-token-52";
    private static final String PUBLIC = "https://voice.example.com";
    private static final String R = "chez-lulu";
    /** Longer than the webhook's 2 s cap, shorter than the back office client's own timeouts. */
    private static final int SLOW_MS = 3500;

    private WireMockServer office;
    private ServeHarness serve;

    @BeforeEach
    void start() {
        office = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        office.start();
        serve = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_URL", PUBLIC, "RESTAURANT_ID", R,
                "VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl()));
    }

    @AfterEach
    void stop() {
        serve.close();
        office.stop();
    }

    private static String agent(boolean automatic, String language) {
        return "{\"systemPrompt\":\"Agent de Chez Lulu.\",\"tools\":[],\"language\":\"" + language + "\","
                + "\"itemMap\":{},\"timezone\":\"Europe/Paris\",\"currency\":\"EUR\",\"transferEnabled\":true,"
                + "\"transferPhoneNumber\":\"+33145678901\",\"transferAutomatic\":" + automatic + ",\"transferRingTimeoutS\":20}";
    }

    private void stub(MappingBuilder mapping) {
        office.stubFor(mapping);
    }

    private void backOffice(boolean blocked, boolean automatic) {
        stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(okJson("{\"blocked\":" + blocked + "}")));
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(agent(automatic, "fr"))));
        stub(get(urlPathEqualTo("/api/menu")).willReturn(okJson("{\"items\":[]}")));
        stub(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-31\"}")));
        stub(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
    }

    private static Map<String, String> form(String from) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CallSid", "CA0123456789abcdef0123456789abcdef");
        f.put("From", from);
        f.put("To", "+33972360682");
        return f;
    }

    private HttpResponse<String> webhook(Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.url("/incoming-call")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return serve.send(b.build());
    }

    private HttpResponse<String> signed(Map<String, String> form) {
        return webhook(form, TwilioSignature.signForm(TOKEN, PUBLIC + "/incoming-call", form));
    }

    @Test
    void aForgedSignatureIs403AndTheBackendIsNeverCalled() throws Exception {
        backOffice(true, true);
        int before = office.getAllServeEvents().size();
        Map<String, String> f = form("+33612345678");
        assertThat(webhook(f, TwilioSignature.signForm("wrong", PUBLIC + "/incoming-call", f)).statusCode()).isEqualTo(403);
        assertThat(webhook(f, null).statusCode()).isEqualTo(403);
        Thread.sleep(300);
        assertThat(office.getAllServeEvents()).hasSize(before);
        assertThat(serve.openai.connectionCount()).isZero();

        // The same request, correctly signed, does reach the back office.
        assertThat(signed(f).body()).contains("<Reject/>");
        office.verify(getRequestedFor(urlPathEqualTo("/api/blocked-phones/check")));
    }

    @Test
    void aBlockedCallerIsRejectedOnItsNormalisedNumberAndNoRecordIsCreated() throws Exception {
        backOffice(true, false);
        HttpResponse<String> r = signed(form("06 12 34 56 78"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<Response><Reject/></Response>");
        office.verify(getRequestedFor(urlPathEqualTo("/api/blocked-phones/check"))
                .withQueryParam("restaurantId", equalTo(R)).withQueryParam("phone", equalTo("+33612345678")));
        Thread.sleep(300);
        office.verify(0, getRequestedFor(urlPathEqualTo("/api/ai")));
        office.verify(0, postRequestedFor(urlPathEqualTo("/api/calls")));
        assertThat(serve.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"blocked\"} 1.0");
    }

    @Test
    void aFailingBlockedCheckLetsTheCallerIn() {
        backOffice(false, false);
        stub(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(aResponse().withStatus(500)));
        assertThat(signed(form("+33612345678")).body()).contains("<Connect>")
                .contains("<Parameter name=\"restaurantId\" value=\"" + R + "\"/>");
    }

    @Test
    void aSlowBlockedCheckAnswersTheStreamAndLeavesTheCheckToIt() throws Exception {
        backOffice(true, true);
        stub(get(urlPathEqualTo("/api/blocked-phones/check"))
                .willReturn(okJson("{\"blocked\":true}").withFixedDelay(SLOW_MS)));
        try (LogCapture logs = new LogCapture()) {
            assertThat(signed(form("+33612345678")).body()).contains("<Connect>").doesNotContain("<Reject");
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN blocked-number check took over 2 s")
                    && l.contains("CA0123456789abcdef0123456789abcdef"));
        }
        office.verify(0, getRequestedFor(urlPathEqualTo("/api/ai")));
    }

    @Test
    void automaticTransferDialsTheBackOfficeNumberAndRecordsTheCall() {
        backOffice(false, true);
        HttpResponse<String> r = signed(form("+33612345678"));
        assertThat(r.body()).contains("<Response><Dial timeout=\"20\" action=\"https://voice.example.com/transfer-result?restaurantId="
                + R + "\" method=\"POST\">+33145678901</Dial></Response>");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> office.verify(patchRequestedFor(urlPathEqualTo("/api/calls"))
                .withRequestBody(equalToJson("{\"id\":\"call-31\",\"outcome\":\"transferred\",\"durationSec\":0}", true, true))));
        office.verify(postRequestedFor(urlPathEqualTo("/api/calls"))
                .withRequestBody(equalToJson("{\"restaurantId\":\"" + R + "\",\"callerNumber\":\"+33612345678\"}", true, true)));
        assertThat(serve.openai.connectionCount()).isZero();
    }

    @Test
    void aSlowAgentLookUpAnswersTheStreamEvenWithAutomaticTransfer() {
        backOffice(false, true);
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(agent(true, "fr")).withFixedDelay(SLOW_MS)));
        try (LogCapture logs = new LogCapture()) {
            assertThat(signed(form("+33612345678")).body()).contains("<Connect>").doesNotContain("<Dial");
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN restaurant settings took over 2 s"));
        }
    }

    @Test
    void busyUsesTheBackOfficeLanguage() {
        serve.close();
        serve = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "PUBLIC_URL", PUBLIC, "RESTAURANT_ID", R,
                "VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl(), "MAX_PARALLEL_CALLS", "1"));
        backOffice(false, false);
        stub(get(urlPathEqualTo("/api/ai")).willReturn(okJson(agent(false, "en"))));
        assertThat(signed(form("+33612345678")).body()).contains("<Connect>");
        Map<String, String> second = form("+33612345679");
        second.put("CallSid", "CAfedcba9876543210fedcba9876543210");
        assertThat(signed(second).body()).contains("<Say language=\"en-US\">All our lines are busy.");
    }
}
