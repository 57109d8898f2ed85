package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** transfer_call in Twilio mode (§8.1, §8.4) over real sockets, Twilio REST played by WireMock. */
class TransferCallTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-token-7f3a";
    private static final String CALLS = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA[0-9a-f]+\\.json";

    private WireMockServer twilio;

    @BeforeEach
    void startTwilio() {
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        twilio.start();
    }

    @AfterEach
    void stopTwilio() {
        twilio.stop();
    }

    private ServeHarness serve() {
        return ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "TWILIO_ACCOUNT_SID", ACCOUNT,
                        "TWILIO_API_URL", twilio.baseUrl(), "PUBLIC_URL", "https://voice.example.com"),
                CallTimings.standard(), FakeRealtimeServer.Options.defaults(), PhoneOrderTest.DINNER_TIME);
    }

    private static SimulatorOptions signed() {
        return SimulatorOptions.twilioCall().withHeader("X-Twilio-Signature",
                TwilioSignature.sign(TOKEN, "wss://voice.example.com/media-stream"));
    }

    @Test
    void anAcceptedTransferDialsAfterTheWarningAndTheCallIsTransferred() throws Exception {
        twilio.stubFor(post(urlPathMatching(CALLS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"in-progress\"}")));
        byte[] warning = Ulaw.tone(480, 600, 0.2);
        try (ServeHarness h = serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Je veux parler au patron.")
                    .sayAndCall(warning, "Je vous transfère à un responsable.", "transfer_call", "{\"reason\":\"le client insiste\"}");
            try (TwilioStreamSimulator caller = h.call(signed())) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode session = openai.awaitEvent("session.update", WAIT).path("session");
                assertThat(session.path("tools").findValuesAsText("name")).contains("transfer_call");
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));

                await().atMost(WAIT).until(() -> !twilio.findAll(postRequestedFor(urlPathMatching(CALLS))).isEmpty());
                // The warning had been played to its end when Twilio was asked to dial.
                assertThat(Bytes.indexOf(caller.playedAudio(), warning)).isGreaterThanOrEqualTo(0);
                LoggedRequest request = twilio.findAll(postRequestedFor(urlPathMatching(CALLS))).get(0);
                String twiml = URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
                assertThat(twiml).contains("<Dial").contains("+33612345678</Dial>")
                        .contains("action=\"https://voice.example.com/transfer-result?restaurantId=da-marco\"");
                assertThat(request.getUrl()).contains(caller.callSid());
                JsonNode output = PhoneOrderTest.output(openai, "transfer_call");
                assertThat(output.path("success").asBoolean()).isTrue();
                caller.sendStop(); // Twilio leaves the stream for the <Dial>
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("transferred");
            assertThat(call.get("end_reason")).isEqualTo("transferred");
            assertThat(call.get("transfer_status")).isEqualTo("requested");
            assertThat(call.get("transfer_target")).isEqualTo("+33612345678");
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
            assertThat(Rows.query(h.backend(), "SELECT * FROM messages")).isEmpty();
        }
    }

    @Test
    void aFailedTransferIsToldToTheModelAndTheCallerStaysConnected() throws Exception {
        twilio.stubFor(post(urlPathMatching(CALLS)).willReturn(aResponse().withStatus(500)));
        byte[] offer = Ulaw.tone(610, 500, 0.2);
        try (ServeHarness h = serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Je veux parler au patron.")
                    .sayAndCall(Ulaw.tone(480, 300, 0.2), "Je vous transfère.", "transfer_call", "{\"reason\":\"le client insiste\"}")
                    .say(offer, "Personne n'est disponible. Voulez-vous laisser un message ?");
            try (TwilioStreamSimulator caller = h.call(signed())) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                JsonNode output = PhoneOrderTest.output(openai, "transfer_call");
                assertThat(output.path("success").asBoolean()).isFalse();
                assertThat(output.path("error").asText()).isEqualTo("transfer_failed");
                assertThat(output.path("reason").asText()).isEqualTo("error");
                // The agent speaks again: the caller hears the offer to leave a message, and is still connected.
                await().atMost(WAIT).until(() -> Bytes.indexOf(caller.playedAudio(), offer) >= 0);
                assertThat(caller.isOpen()).isTrue();
                List<JsonNode> creates = openai.eventsOfType("response.create");
                assertThat(creates).hasSizeGreaterThanOrEqualTo(2);
                caller.sendStop();
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("info_only");
            assertThat(call.get("transfer_status")).isEqualTo("error");
        }
    }

    @Test
    void whenOpenAiRefusesTheCallerHearsTheApologyThenGoesToStaff() throws Exception {
        twilio.stubFor(post(urlPathMatching(CALLS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"in-progress\"}")));
        try (ServeHarness h = serve()) {
            h.openai.refuseUpgrades(401);
            try (TwilioStreamSimulator caller = h.call(signed())) {
                await().atMost(WAIT).until(() -> !twilio.findAll(postRequestedFor(urlPathMatching(CALLS))).isEmpty());
                // The apology was played to its end before the transfer was asked for.
                assertThat(caller.playedBytes()).isGreaterThan(8_000);
                assertThat(caller.pendingMarks()).isZero();
                caller.sendStop();
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("transferred");
            assertThat(call.get("transfer_status")).isEqualTo("requested");
        }
    }
    /**
     * The agent loads while the OpenAI socket opens. A back office slower than OpenAI's refusal used to leave the
     * call without its transfer number, and the caller was hung up on after the apology: the decision now waits
     * for the restaurant's settings.
     */
    @Test
    void whenOpenAiRefusesBeforeTheRestaurantIsKnownTheTransferWaitsForItsSettings() throws Exception {
        twilio.stubFor(post(urlPathMatching(CALLS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"in-progress\"}")));
        WireMockServer office = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        office.start();
        try {
            office.stubFor(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(okJson("{\"blocked\":false}")));
            office.stubFor(get(urlPathEqualTo("/api/ai")).willReturn(okJson("{\"systemPrompt\":\"Agent de Chez Lulu.\","
                    + "\"tools\":[],\"language\":\"fr\",\"itemMap\":{},\"timezone\":\"Europe/Paris\",\"currency\":\"EUR\","
                    + "\"transferEnabled\":true,\"transferPhoneNumber\":\"+33145678901\",\"transferAutomatic\":false,"
                    + "\"transferRingTimeoutS\":20}").withFixedDelay(3000)));
            office.stubFor(get(urlPathEqualTo("/api/menu")).willReturn(okJson("{\"items\":[]}")));
            office.stubFor(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-31\"}")));
            office.stubFor(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
            try (ServeHarness h = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", TOKEN, "TWILIO_ACCOUNT_SID", ACCOUNT,
                    "TWILIO_API_URL", twilio.baseUrl(), "PUBLIC_URL", "https://voice.example.com",
                    "VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl(), "RESTAURANT_ID", "chez-lulu"))) {
                h.openai.refuseUpgrades(401);
                try (TwilioStreamSimulator caller = h.call(signed())) {
                    await().atMost(WAIT).until(() -> !twilio.findAll(postRequestedFor(urlPathMatching(CALLS))).isEmpty());
                    assertThat(caller.playedBytes()).isGreaterThan(8_000);
                    assertThat(caller.pendingMarks()).isZero();
                    assertThat(caller.closed()).as("the line stays open for the transfer").isNotDone();
                    caller.sendStop();
                    caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                }
                await().atMost(WAIT).untilAsserted(() -> office.verify(patchRequestedFor(urlPathEqualTo("/api/calls"))
                        .withRequestBody(equalToJson("{\"id\":\"call-31\",\"outcome\":\"transferred\"}", true, true))));
            }
        } finally {
            office.stop();
        }
    }
}
