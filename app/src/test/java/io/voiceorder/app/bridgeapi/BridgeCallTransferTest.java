package io.voiceorder.app.bridgeapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.agent.TransferOutcome.Reason;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Bridge-mode transfer (serve.md §8.2) against WireMock playing the bridge REST API. */
class BridgeCallTransferTest {
    private static final String SID = "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90";
    private static final String TRANSFER = "/api/calls/" + SID + "/transfer";
    private static final String CALL = "/api/calls/" + SID;
    private static final String TOKEN = "bridge-token-55";
    private static final CallIdentity IDENTITY = new CallIdentity(SID, SID, "bridge", "inbound", "+33611111111",
            "+33972360682", "da-marco");

    private WireMockServer bridge;

    @BeforeEach
    void start() {
        bridge = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bridge.start();
    }

    @AfterEach
    void stop() {
        bridge.stop();
    }

    private BridgeCallTransfer client(Optional<String> sipDomain, Secret token, Duration handOffLimit) {
        return new BridgeCallTransfer(OutboundHttpFactory.create(), new ObjectMapper(), URI.create(bridge.baseUrl()),
                token, sipDomain, new BridgeTransferTimings(Duration.ofSeconds(1), Duration.ofMillis(50), handOffLimit));
    }

    private BridgeCallTransfer client() {
        return client(Optional.empty(), Secret.of(TOKEN), Duration.ofSeconds(3));
    }

    private static TransferOutcome await(CompletionStage<TransferOutcome> stage) throws Exception {
        return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static ResponseDefinitionBuilder callObject(String status, String transferState, Integer sipCode) {
        return okJson("{\"sid\":\"" + SID + "\",\"status\":\"" + status + "\",\"transfer\":{\"destination\":\"+33612345678\","
                + "\"method\":\"refer\",\"state\":\"" + transferState + "\",\"sipCode\":" + sipCode + "}}");
    }

    @Test
    void postsDestinationTimeoutAndWaitWithTheBearerTokenThenWaitsForTheHandOff() throws Exception {
        bridge.stubFor(post(urlEqualTo(TRANSFER)).willReturn(okJson("{\"status\":\"transferred\",\"sid\":\"" + SID
                + "\",\"destination\":\"+33612345678\",\"transfer\":{\"method\":\"refer\",\"state\":\"accepted\"}}")));
        bridge.stubFor(get(urlEqualTo(CALL)).inScenario("refer").whenScenarioStateIs("Started")
                .willReturn(callObject("active", "accepted", null)).willSetStateTo("done"));
        bridge.stubFor(get(urlEqualTo(CALL)).inScenario("refer").whenScenarioStateIs("done")
                .willReturn(callObject("transferred", "succeeded", 200)));

        assertThat(await(client().transfer(IDENTITY, "+33612345678", 25))).isEqualTo(TransferOutcome.transferred());

        bridge.verify(1, postRequestedFor(urlEqualTo(TRANSFER))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"destination\":\"+33612345678\",\"timeoutSec\":25,\"wait\":true}")));
        assertThat(bridge.countRequestsMatching(getRequestedFor(urlEqualTo(CALL)).build()).getCount()).isEqualTo(2);
    }

    @Test
    void sipDomainMakesASipUriAndNoTokenSendsNoHeader() throws Exception {
        bridge.stubFor(post(urlEqualTo(TRANSFER)).willReturn(okJson("{\"status\":\"transferred\"}")));
        bridge.stubFor(get(urlEqualTo(CALL)).willReturn(aResponse().withStatus(404)));

        assertThat(await(client(Optional.of("sip.ovh.fr"), Secret.unset(), Duration.ofSeconds(3))
                .transfer(IDENTITY, "+33612345678", 30))).as("ended and purged: handed off").isEqualTo(TransferOutcome.transferred());

        bridge.verify(postRequestedFor(urlEqualTo(TRANSFER)).withHeader("Authorization", absent())
                .withRequestBody(equalToJson("{\"destination\":\"sip:+33612345678@sip.ovh.fr\",\"timeoutSec\":30,\"wait\":true}")));
    }

    @Test
    void refusalsMapToTheReasonsGivenToTheModel() throws Exception {
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\","
                + "\"state\":\"failed\",\"sipCode\":486}}"), Reason.BUSY);
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\","
                + "\"state\":\"failed\",\"sipCode\":600}}"), Reason.BUSY);
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\","
                + "\"state\":\"failed\",\"sipCode\":480}}"), Reason.NO_ANSWER);
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\","
                + "\"state\":\"failed\",\"sipCode\":487}}"), Reason.NO_ANSWER);
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"refer\","
                + "\"state\":\"failed\",\"sipCode\":405}}"), Reason.REFUSED);
        expectFailure(aResponse().withStatus(502).withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\","
                + "\"state\":\"failed\",\"sipCode\":503}}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(403).withBody("{\"error\":\"destination_not_allowed\"}"), Reason.REFUSED);
        expectFailure(aResponse().withStatus(409).withBody("{\"error\":\"not_answered\"}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(409).withBody("{\"error\":\"transfer_in_progress\"}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(429).withBody("{\"error\":\"hourly_cap\"}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(404).withBody("{\"error\":\"not_found\"}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(400).withBody("{\"error\":\"bad_destination\"}"), Reason.ERROR);
        expectFailure(aResponse().withStatus(200).withBody("not json"), Reason.ERROR);
        expectFailure(okJson("{\"status\":\"transferred\"}").withFixedDelay(2500), Reason.ERROR);
    }

    private void expectFailure(ResponseDefinitionBuilder reply, Reason reason) throws Exception {
        bridge.resetAll();
        bridge.stubFor(post(urlEqualTo(TRANSFER)).willReturn(reply));
        // The HTTP timeout is the ring timeout + the slack: 1 s + 1 s here.
        assertThat(await(client().transfer(IDENTITY, "+33612345678", 1))).isEqualTo(TransferOutcome.failed(reason));
    }

    @Test
    void aTransferThatFailsAfterHandOffOrNeverFinishesIsFailed() throws Exception {
        bridge.stubFor(post(urlEqualTo(TRANSFER)).willReturn(okJson("{\"status\":\"transferred\"}")));
        bridge.stubFor(get(urlEqualTo(CALL)).willReturn(callObject("active", "failed", 603)));
        assertThat(await(client().transfer(IDENTITY, "+33612345678", 25))).isEqualTo(TransferOutcome.failed(Reason.REFUSED));

        bridge.resetAll();
        bridge.stubFor(post(urlEqualTo(TRANSFER)).willReturn(okJson("{\"status\":\"transferred\"}")));
        bridge.stubFor(get(urlEqualTo(CALL)).willReturn(callObject("active", "accepted", null)));
        assertThat(await(client(Optional.empty(), Secret.of(TOKEN), Duration.ofMillis(400)).transfer(IDENTITY, "+33612345678", 25)))
                .as("still with serve when the hand-off limit passed").isEqualTo(TransferOutcome.failed(Reason.ERROR));
        bridge.verify(getRequestedFor(urlEqualTo(CALL)).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void anUnreachableBridgeOrABadNumberIsAnError() throws Exception {
        bridge.stubFor(post(anyUrl()).willReturn(okJson("{\"status\":\"transferred\"}")));
        assertThat(await(client().transfer(IDENTITY, "sip:evil@example.com", 25))).isEqualTo(TransferOutcome.failed(Reason.ERROR));
        bridge.verify(0, anyRequestedFor(anyUrl()));

        BridgeCallTransfer toNowhere = client();
        bridge.stop();
        assertThat(await(toNowhere.transfer(IDENTITY, "+33612345678", 25))).isEqualTo(TransferOutcome.failed(Reason.ERROR));
    }
}
