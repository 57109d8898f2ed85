package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outbound call in Twilio mode end to end (serve.md §8.5): the TwiML {@link TwilioOutbound} gives
 * Twilio (WireMock) is what Twilio would play — its stream, with its parameters and the call's real
 * sid in {@code start}, reaches serve, which runs it as an outbound call to the person called.
 */
class OutboundStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String SID = "CA99998888777766665555444433332222";
    private static final String CALLED = "+33698765432";

    private WireMockServer twilio;

    @BeforeEach
    void start() {
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        twilio.start();
        twilio.stubFor(post(urlEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"" + SID + "\",\"status\":\"queued\"}")));
    }

    @AfterEach
    void stop() {
        twilio.stop();
    }

    @Test
    void theStreamOfThePlacedCallReachesServeAsAnOutboundCallWithItsRealSid() throws Exception {
        TwilioOutbound outbound = new TwilioOutbound(new TwilioRestClient(OutboundHttpFactory.create(), new ObjectMapper(),
                URI.create(twilio.baseUrl()), Optional.of(ACCOUNT), Secret.of("twilio-token-77"), Duration.ofSeconds(5)),
                Optional.of("+33972360682"));
        OutboundCallStatus placed = outbound.place(new OutboundCallRequest(CALLED, null, "https://voice.example.com",
                Map.of("purpose", "votre commande est prête"), 25, null));
        assertThat(placed.sid()).isEqualTo(SID);

        String twiml = twilio.findAll(postRequestedFor(urlEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json")))
                .get(0).formParameters().get("Twiml").firstValue();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)));
        Element stream = (Element) doc.getElementsByTagName("Stream").item(0);
        URI streamUrl = URI.create(stream.getAttribute("url"));
        assertThat(streamUrl.getScheme()).isEqualTo("wss");
        assertThat(streamUrl.getHost()).isEqualTo("voice.example.com");
        Map<String, String> parameters = new LinkedHashMap<>();
        NodeList list = stream.getElementsByTagName("Parameter");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            parameters.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertThat(parameters).containsEntry("callSid", "outbound").containsEntry("direction", "outbound")
                .containsEntry("callerPhone", CALLED).containsEntry("to", CALLED);

        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().sayAndCall(Ulaw.tone(350, 600, 0.2), "Bonjour, ici la Pizzeria Da Marco : votre commande est prête.",
                    "end_call", "{}");
            // What Twilio does once the person answers: the stream on serve's path, the real sid in start.
            SimulatorOptions asTwilio = SimulatorOptions.defaults()
                    .withSids(ACCOUNT, SID, SimulatorOptions.sid("MZ"))
                    .withCustomParameters(parameters);
            assertThat(h.streamUri().getPath()).isEqualTo(streamUrl.getPath());
            try (TwilioStreamSimulator callee = h.call(asTwilio)) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                assertThat(callee.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                // The agent opens as the caller, with the call's purpose.
                assertThat(openai.received().toString()).contains("Tu appelles").contains("votre commande est prête");
            }

            await().atMost(WAIT).until(() -> Rows.query(h.backend(), "SELECT outcome FROM calls").stream()
                    .anyMatch(r -> !"in_progress".equals(r.get("outcome"))));
            List<Map<String, Object>> calls = Rows.query(h.backend(), "SELECT * FROM calls");
            assertThat(calls).hasSize(1);
            Map<String, Object> call = calls.get(0);
            assertThat(call.get("direction")).isEqualTo("outbound");
            assertThat(call.get("mode")).isEqualTo("twilio");
            assertThat(call.get("call_sid")).isEqualTo(SID);
            assertThat(call.get("caller_number")).isEqualTo(CALLED);
        }
    }
}
