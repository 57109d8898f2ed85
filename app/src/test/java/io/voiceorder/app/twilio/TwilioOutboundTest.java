package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outbound calls through Twilio REST (serve.md §8.5) against WireMock. */
class TwilioOutboundTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-token-9a";
    private static final String CALLS = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json";
    private static final String SID = "CA11112222333344445555666677778888";
    private static final String CALL = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + SID + ".json";

    private WireMockServer twilio;

    @BeforeEach
    void start() {
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        twilio.start();
    }

    @AfterEach
    void stop() {
        twilio.stop();
    }

    private TwilioOutbound outbound(Optional<String> account, Optional<String> defaultFrom) {
        return new TwilioOutbound(new TwilioRestClient(OutboundHttpFactory.create(), new ObjectMapper(), URI.create(twilio.baseUrl()),
                account, account.isPresent() ? Secret.of(TOKEN) : Secret.unset(), Duration.ofSeconds(5)), defaultFrom);
    }

    private TwilioOutbound outbound() {
        return outbound(Optional.of(ACCOUNT), Optional.of("+33972360682"));
    }

    private static OutboundCallRequest request(Map<String, String> params) {
        return new OutboundCallRequest("+33612345678", null, "https://voice.example.com/", params, 30,
                "https://hooks.example.com/status");
    }

    @Test
    void placesTheCallWithStreamTwimlAndReturnsTheSid() throws Exception {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"" + SID + "\",\"status\":\"queued\",\"duration\":null}")));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("restaurantId", "da-marco");
        params.put("purpose", "order-ready");
        params.put("callSid", "forged");

        OutboundCallStatus placed = outbound().place(request(params));

        assertThat(placed.sid()).isEqualTo(SID);
        assertThat(placed.status()).isEqualTo("queued");
        String expectedTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n"
                + "  <Connect>\n    <Stream url=\"wss://voice.example.com/media-stream\">\n"
                + "      <Parameter name=\"callerPhone\" value=\"+33612345678\"/>\n"
                + "      <Parameter name=\"restaurantId\" value=\"da-marco\"/>\n"
                + "      <Parameter name=\"callSid\" value=\"outbound\"/>\n"
                + "      <Parameter name=\"direction\" value=\"outbound\"/>\n"
                + "      <Parameter name=\"to\" value=\"+33612345678\"/>\n"
                + "      <Parameter name=\"purpose\" value=\"order-ready\"/>\n"
                + "    </Stream>\n  </Connect>\n</Response>\n";
        String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS))
                .withHeader("Authorization", equalTo(basic))
                .withFormParam("To", equalTo("+33612345678"))
                .withFormParam("From", equalTo("+33972360682"))
                .withFormParam("Twiml", equalTo(expectedTwiml))
                .withFormParam("StatusCallback", equalTo("https://hooks.example.com/status"))
                .withFormParam("StatusCallbackEvent", equalTo("initiated ringing answered completed"))
                .withFormParam("Timeout", equalTo("30")));
    }

    @Test
    void fromFlagWinsAndOptionalFieldsAreLeftOut() throws Exception {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"" + SID + "\",\"status\":\"queued\"}")));
        outbound().place(new OutboundCallRequest("+33612345678", "+33100000000", "http://127.0.0.1:5050", Map.of(), null, null));
        twilio.verify(postRequestedFor(urlEqualTo(CALLS))
                .withFormParam("From", equalTo("+33100000000"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("StatusCallback"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("Timeout"))
                .withFormParam("Twiml", com.github.tomakehurst.wiremock.client.WireMock.containing("ws://127.0.0.1:5050/media-stream")));
    }

    @Test
    void refusalsAndMissingSettingsAreClearSentences() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(400)
                .withBody("{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}")));
        assertThatThrownBy(() -> outbound().place(request(Map.of()))).isInstanceOf(OutboundCallException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("21211").hasMessageNotContaining(TOKEN);

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(401).withBody("{\"code\":20003}")));
        assertThatThrownBy(() -> outbound().place(request(Map.of()))).hasMessageContaining("TWILIO_AUTH_TOKEN");

        twilio.resetAll();
        assertThatThrownBy(() -> outbound(Optional.empty(), Optional.of("+33972360682")).place(request(Map.of())))
                .hasMessageContaining("TWILIO_ACCOUNT_SID");
        assertThatThrownBy(() -> outbound(Optional.of(ACCOUNT), Optional.empty()).place(request(Map.of())))
                .hasMessageContaining("TWILIO_PHONE_NUMBER");
        assertThatThrownBy(() -> outbound().place(new OutboundCallRequest("0612345678", null, "https://v.example.com", Map.of(), null, null)))
                .hasMessageContaining("+ and digits");
        assertThatThrownBy(() -> outbound().place(new OutboundCallRequest("+33612345678", null, null, Map.of(), null, null)))
                .hasMessageContaining("PUBLIC_URL");
        assertThatThrownBy(() -> outbound().place(request(Map.of("purpose", "x".repeat(4000)))))
                .hasMessageContaining("4000");
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void followReportsEachStatusChangeUntilTheCallEnds() throws Exception {
        String[] states = {"queued", "ringing", "ringing", "in-progress", "completed"};
        for (int i = 0; i < states.length; i++) {
            String duration = states[i].equals("completed") ? "\"42\"" : "null";
            twilio.stubFor(get(urlEqualTo(CALL)).inScenario("call").whenScenarioStateIs(i == 0 ? "Started" : "s" + i)
                    .willReturn(okJson("{\"sid\":\"" + SID + "\",\"status\":\"" + states[i] + "\",\"duration\":" + duration + "}"))
                    .willSetStateTo("s" + (i + 1)));
        }
        List<String> seen = new ArrayList<>();

        OutboundCallStatus last = outbound().follow(SID, Duration.ofMillis(20), Duration.ofSeconds(10), s -> seen.add(s.status()));

        assertThat(seen).containsExactly("queued", "ringing", "in-progress", "completed");
        assertThat(last.completedNormally()).isTrue();
        assertThat(last.durationSec()).isEqualTo(42);
    }

    @Test
    void busyNoAnswerAndAnUnknownCallAreReported() throws Exception {
        twilio.stubFor(get(urlEqualTo(CALL)).willReturn(okJson("{\"sid\":\"" + SID + "\",\"status\":\"busy\"}")));
        OutboundCallStatus busy = outbound().follow(SID, Duration.ofMillis(20), Duration.ofSeconds(10), s -> { });
        assertThat(busy.isFinal()).isTrue();
        assertThat(busy.completedNormally()).isFalse();

        twilio.resetAll();
        twilio.stubFor(get(urlEqualTo(CALL)).willReturn(aResponse().withStatus(404).withBody("{\"code\":20404}")));
        assertThatThrownBy(() -> outbound().fetch(SID)).hasMessageContaining("HTTP 404").hasMessageContaining("20404");

        twilio.resetAll();
        twilio.stubFor(get(urlEqualTo(CALL)).willReturn(okJson("{\"sid\":\"" + SID + "\",\"status\":\"ringing\"}")));
        OutboundCallStatus stillRinging = outbound().follow(SID, Duration.ofMillis(20), Duration.ofMillis(200), s -> { });
        assertThat(stillRinging.isFinal()).as("bounded wait returns the last status").isFalse();
        twilio.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(CALL))
                .withHeader("Content-Type", absent()));
    }
}
