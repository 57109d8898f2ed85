package io.voiceorder.app.transfer;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Inside serve: the transfer goes to Twilio or to the bridge by the call's mode, with serve's configuration. */
class CallTransfersTest {
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private WireMockServer rest;

    @BeforeEach
    void start() {
        rest = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        rest.start();
    }

    @AfterEach
    void stop() {
        rest.stop();
    }

    @Test
    void eachModeUsesItsOwnApi() throws Exception {
        rest.stubFor(post(urlEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA1.json")).willReturn(okJson("{}")));
        rest.stubFor(post(urlEqualTo("/api/calls/b-1/transfer")).willReturn(okJson("{\"status\":\"transferred\"}")));
        rest.stubFor(get(urlEqualTo("/api/calls/b-1")).willReturn(aResponse().withStatus(404)));
        try (ServeHarness h = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", "tok", "TWILIO_ACCOUNT_SID", ACCOUNT,
                "TWILIO_API_URL", rest.baseUrl(), "BRIDGE_URL", rest.baseUrl(), "BRIDGE_API_TOKEN", "bridge-tok",
                "PUBLIC_URL", "https://voice.example.com"))) {
            CallTransfers transfers = h.serve.context().getBean(CallTransfers.class);
            CallIdentity twilioCall = new CallIdentity("MZ1", "CA1", "twilio", "inbound", "+33611111111", "+33972360682", "r1");
            CallIdentity bridgeCall = new CallIdentity("b-1", "b-1", "bridge", "inbound", "+33611111111", "+33972360682", "r1");

            assertThat(transfers.available(twilioCall)).isTrue();
            assertThat(transfers.transfer(twilioCall, "+33612345678", 25).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(TransferOutcome.transferred());
            assertThat(transfers.transfer(bridgeCall, "+33612345678", 25).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isEqualTo(TransferOutcome.transferred());
            rest.verify(postRequestedFor(urlEqualTo("/2010-04-01/Accounts/" + ACCOUNT + "/Calls/CA1.json")));
            rest.verify(postRequestedFor(urlEqualTo("/api/calls/b-1/transfer")).withHeader("Authorization", equalTo("Bearer bridge-tok")));
        }
    }

    @Test
    void twilioModeWithoutRestCredentialsCannotTransfer() {
        try (ServeHarness h = ServeHarness.start(Map.of())) {
            CallTransfers transfers = h.serve.context().getBean(CallTransfers.class);
            assertThat(transfers.available(new CallIdentity("MZ1", "CA1", "twilio", "inbound", "", "", "r1"))).isFalse();
            assertThat(transfers.available(new CallIdentity("b", "b", "bridge", "inbound", "", "", "r1"))).isTrue();
        }
    }
}
