package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class TwilioCallTransferTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-token-7f3a";
    private static final String CALL_SID = "CA5f0c9a1b2c3d4e5f60718293a4b5c6d7";
    private static final String UPDATE_PATH = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + CALL_SID + ".json";
    private static final CallIdentity CALL = new CallIdentity("MZ1", CALL_SID, "twilio", "inbound",
            "+33611111111", "+33972360682", "da-marco");

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

    private TwilioRestClient rest(Duration timeout) {
        return new TwilioRestClient(OutboundHttpFactory.create(), new ObjectMapper(), URI.create(twilio.baseUrl()),
                Optional.of(ACCOUNT), Secret.of(TOKEN), timeout);
    }

    private static ServeConfig config(String... kv) {
        Map<String, String> vars = new HashMap<>();
        vars.put("OPENAI_API_KEY", "sk-test");
        for (int i = 0; i < kv.length; i += 2) {
            vars.put(kv[i], kv[i + 1]);
        }
        return ServeConfig.parse(vars);
    }

    private TwilioCallTransfer transfer(Duration timeout) {
        return new TwilioCallTransfer(rest(timeout), config("PUBLIC_URL", "https://voice.example.com/"));
    }

    private static TransferOutcome await(java.util.concurrent.CompletionStage<TransferOutcome> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void postsTheDialTwimlWithBasicAuthAndReportsTransferred() throws Exception {
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"" + CALL_SID + "\",\"status\":\"in-progress\"}")));

        TransferOutcome outcome = await(transfer(Duration.ofSeconds(5)).transfer(CALL, "+33612345678", 25));

        assertThat(outcome).isEqualTo(TransferOutcome.transferred());
        String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.verify(1, postRequestedFor(urlEqualTo(UPDATE_PATH))
                .withHeader("Authorization", equalTo(basic))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("Twiml", equalTo("<Response><Dial timeout=\"25\" "
                        + "action=\"https://voice.example.com/transfer-result?restaurantId=da-marco\" method=\"POST\">"
                        + "+33612345678</Dial></Response>")));
    }

    @Test
    void theRingTimeoutAndTheUpgradeBaseAreUsedWhenThereIsNoPublicUrl() throws Exception {
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));
        TwilioCallTransfer noPublicUrl = new TwilioCallTransfer(rest(Duration.ofSeconds(5)), config());

        assertThat(await(noPublicUrl.transfer(CALL, "+33612345678", 25)).status())
                .as("no base at all: not attempted").isEqualTo(TransferOutcome.Status.FAILED);
        assertThat(twilio.getAllServeEvents()).isEmpty();

        assertThat(await(noPublicUrl.withUpgradeBase("https://abc.ngrok.app").transfer(CALL, "+33612345678", 40)))
                .isEqualTo(TransferOutcome.transferred());
        twilio.verify(postRequestedFor(urlEqualTo(UPDATE_PATH)).withFormParam("Twiml", equalTo("<Response><Dial timeout=\"40\" "
                + "action=\"https://abc.ngrok.app/transfer-result?restaurantId=da-marco\" method=\"POST\">"
                + "+33612345678</Dial></Response>")));
    }

    @Test
    void twilioCode20404MeansTheCallIsAlreadyOver() throws Exception {
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}")));

        assertThat(await(transfer(Duration.ofSeconds(5)).transfer(CALL, "+33612345678", 25)))
                .isEqualTo(TransferOutcome.alreadyEnded());
    }

    @Test
    void anyOtherAnswerIsAFailedTransfer() throws Exception {
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(500).withBody("oops")));
        assertThat(await(transfer(Duration.ofSeconds(5)).transfer(CALL, "+33612345678", 25)))
                .isEqualTo(TransferOutcome.failed(TransferOutcome.Reason.ERROR));

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(404).withBody("{\"code\":21220}")));
        assertThat(await(transfer(Duration.ofSeconds(5)).transfer(CALL, "+33612345678", 25)))
                .as("a 404 that is not 20404").isEqualTo(TransferOutcome.failed(TransferOutcome.Reason.ERROR));

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(401).withBody("{\"code\":20003}")));
        assertThat(await(transfer(Duration.ofSeconds(5)).transfer(CALL, "+33612345678", 25)).status())
                .isEqualTo(TransferOutcome.Status.FAILED);
    }

    @Test
    void aSlowTwilioIsAFailedTransfer() throws Exception {
        twilio.stubFor(post(urlEqualTo(UPDATE_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

        assertThat(await(transfer(Duration.ofMillis(300)).transfer(CALL, "+33612345678", 25)))
                .isEqualTo(TransferOutcome.failed(TransferOutcome.Reason.ERROR));
    }

    @Test
    void nothingIsSentWithoutCredentialsOrWithABadNumber() throws Exception {
        twilio.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        TwilioRestClient unconfigured = new TwilioRestClient(OutboundHttpFactory.create(), new ObjectMapper(),
                URI.create(twilio.baseUrl()), Optional.empty(), Secret.unset(), Duration.ofSeconds(5));
        TwilioCallTransfer noCredentials = new TwilioCallTransfer(unconfigured, config("PUBLIC_URL", "https://voice.example.com"));

        assertThat(await(noCredentials.transfer(CALL, "+33612345678", 25)).status()).isEqualTo(TransferOutcome.Status.FAILED);
        for (String bad : new String[] {"0612345678", "+33<Hangup/>", "sip:evil@example.com", "", "+33 6 12"}) {
            assertThat(await(transfer(Duration.ofSeconds(5)).transfer(CALL, bad, 25)).status()).as(bad)
                    .isEqualTo(TransferOutcome.Status.FAILED);
        }
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void dialTwimlEscapesItsValues() {
        assertThat(Twiml.dial("+33612345678", 25, "https://h/transfer-result?restaurantId=a&b=\"c\""))
                .isEqualTo("<Response><Dial timeout=\"25\" action=\"https://h/transfer-result?restaurantId=a&amp;b=&quot;c&quot;\" "
                        + "method=\"POST\">+33612345678</Dial></Response>");
    }
}
