package io.voiceorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code voiceorder call --via twilio} and {@code --via auto} with WireMock playing Twilio's REST API
 * (and, for the automatic choice, the bridge's {@code /health} and {@code /api/calls}).
 */
class TwilioCallCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-token-5e8c1d";
    private static final String CALLS = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json";
    private static final String SID = "CA11112222333344445555666677778888";
    private static final String CALL = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + SID + ".json";

    @TempDir
    Path dir;

    private WireMockServer twilio;
    private WireMockServer bridge;

    @BeforeEach
    void start() {
        twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        twilio.start();
    }

    @AfterEach
    void stop() {
        twilio.stop();
        if (bridge != null) {
            bridge.stop();
        }
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", TOKEN,
                "TWILIO_API_URL", twilio.baseUrl(), "TWILIO_PHONE_NUMBER", "+33972360682", "RESTAURANT_ID", "da-marco",
                "PUBLIC_URL", "https://voice.example.com"));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                env.remove(more[i]);
            } else {
                env.put(more[i], more[i + 1]);
            }
        }
        return env;
    }

    private Cli.Result call(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "call";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Cli(env, dir).run(all);
    }

    private void created() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"" + SID + "\",\"status\":\"queued\",\"duration\":null}")));
    }

    /** Each GET of the call answers the next status, the last one for ever. */
    private void statuses(String... statuses) {
        for (int i = 0; i < statuses.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "poll-" + i;
            String status = statuses[i];
            String duration = status.equals("completed") ? "\"42\"" : status.equals("in-progress") ? "null" : "\"0\"";
            var stub = get(urlEqualTo(CALL)).inScenario("call").whenScenarioStateIs(state)
                    .willReturn(okJson("{\"sid\":\"" + SID + "\",\"status\":\"" + status + "\",\"duration\":" + duration + "}"));
            twilio.stubFor(i + 1 < statuses.length ? stub.willSetStateTo("poll-" + (i + 1)) : stub);
        }
    }

    @Test
    void placesTheCallWithStreamTwimlFollowsEachStatusAndExitsZeroWhenCompleted() {
        created();
        statuses("ringing", "in-progress", "completed");

        Cli.Result r = call(env(), "+33612345678", "--via", "twilio", "--wait", "--param", "purpose=order-ready",
                "--timeout", "20", "--callback-url", "https://hooks.example.com/status");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(SID).contains("queued").contains("ringing").contains("answered").contains("completed (42 s)");
        String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS))
                .withHeader("Authorization", equalTo(basic))
                .withFormParam("To", equalTo("+33612345678"))
                .withFormParam("From", equalTo("+33972360682"))
                .withFormParam("Timeout", equalTo("20"))
                .withFormParam("StatusCallback", equalTo("https://hooks.example.com/status"))
                .withFormParam("StatusCallbackEvent", equalTo("initiated ringing answered completed"))
                .withFormParam("Twiml", containing("<Stream url=\"wss://voice.example.com/media-stream\">")));
        String twiml = twilio.findAll(postRequestedFor(urlEqualTo(CALLS))).get(0).formParameters().get("Twiml").firstValue();
        assertThat(twiml).contains("name=\"callerPhone\" value=\"+33612345678\"").contains("name=\"restaurantId\" value=\"da-marco\"")
                .contains("name=\"direction\" value=\"outbound\"").contains("name=\"callSid\" value=\"outbound\"")
                .contains("name=\"purpose\" value=\"order-ready\"").doesNotContain("<Pause");
        twilio.verify(3, getRequestedFor(urlEqualTo(CALL)));
        assertThat(r.out() + r.err()).doesNotContain(TOKEN);
    }

    @Test
    void aBusyCallExitsOneAndJsonPrintsTheCallObject() throws Exception {
        created();
        statuses("ringing", "busy");

        Cli.Result r = call(env(), "+33612345678", "--via", "twilio", "--wait", "--json", "--from", "+33100000000");

        assertThat(r.status()).as(r.err()).isEqualTo(1);
        JsonNode call = JSON.readTree(r.out().strip());
        assertThat(call.path("sid").asText()).isEqualTo(SID);
        assertThat(call.path("via").asText()).isEqualTo("twilio");
        assertThat(call.path("status").asText()).isEqualTo("busy");
        assertThat(call.path("from").asText()).isEqualTo("+33100000000");
        twilio.verify(postRequestedFor(urlEqualTo(CALLS)).withFormParam("From", equalTo("+33100000000")));
    }

    @Test
    void noAnswerFailedAndCanceledExitOne() {
        for (String end : new String[] {"no-answer", "failed", "canceled"}) {
            twilio.resetAll();
            created();
            statuses(end);
            Cli.Result r = call(env(), "+33612345678", "--via", "twilio", "--wait");
            assertThat(r.status()).as(end + ": " + r.err()).isEqualTo(1);
            assertThat(r.out()).contains(end);
        }
    }

    @Test
    void withoutWaitItPrintsTheSidAndReturns() {
        created();

        Cli.Result r = call(env(), "+33612345678", "--via", "twilio", "--no-wait");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(SID);
        twilio.verify(0, getRequestedFor(urlEqualTo(CALL)));
    }

    @Test
    void refusalsOfTwilioBecomeSentencesWithoutTheToken() {
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}")));
        Cli.Result unauthorized = call(env(), "+33612345678", "--via", "twilio", "--no-wait");
        assertThat(unauthorized.status()).isEqualTo(2);
        assertThat(unauthorized.err()).contains("refused the credentials").contains("TWILIO_ACCOUNT_SID").contains("TWILIO_AUTH_TOKEN");

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(403)
                .withBody("{\"code\":21215,\"message\":\"Account not authorized to call +447700900123.\",\"status\":403}")));
        Cli.Result forbidden = call(env(), "+447700900123", "--via", "twilio", "--no-wait");
        assertThat(forbidden.status()).isEqualTo(2);
        assertThat(forbidden.err()).contains("21215").contains("Account not authorized").contains("geographic permissions");

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(400)
                .withBody("{\"code\":21212,\"message\":\"The 'From' number +33100000000 is not a valid phone number.\",\"status\":400}")));
        Cli.Result bad = call(env(), "+33612345678", "--via", "twilio", "--no-wait", "--from", "+33100000000");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("21212").contains("is not a valid phone number").contains("--from");

        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(CALLS)).willReturn(aResponse().withStatus(503)));
        Cli.Result down = call(env(), "+33612345678", "--via", "twilio", "--no-wait");
        assertThat(down.status()).isEqualTo(1);
        assertThat(down.err()).contains("HTTP 503");

        for (Cli.Result r : new Cli.Result[] {unauthorized, forbidden, bad, down}) {
            assertThat(r.out() + r.err()).doesNotContain(TOKEN).doesNotContain("Exception").doesNotContain("..");
        }
    }

    @Test
    void missingSettingsAreUsageErrorsNamingTheFlagAndVariable() {
        Cli.Result noFrom = call(env("TWILIO_PHONE_NUMBER", null), "+33612345678", "--via", "twilio");
        assertThat(noFrom.status()).isEqualTo(2);
        assertThat(noFrom.err()).contains("--from").contains("TWILIO_PHONE_NUMBER");

        Cli.Result noPublicUrl = call(env("PUBLIC_URL", null), "+33612345678", "--via", "twilio");
        assertThat(noPublicUrl.status()).isEqualTo(2);
        assertThat(noPublicUrl.err()).contains("--public-url").contains("PUBLIC_URL");

        Cli.Result noToken = call(env("TWILIO_AUTH_TOKEN", null), "+33612345678", "--via", "twilio");
        assertThat(noToken.status()).isEqualTo(2);
        assertThat(noToken.err()).contains("TWILIO_AUTH_TOKEN is not set");

        Cli.Result national = call(env(), "0612345678", "--via", "twilio");
        assertThat(national.status()).isEqualTo(2);
        assertThat(national.err()).contains("E.164");

        Cli.Result timeout = call(env(), "+33612345678", "--via", "twilio", "--timeout", "600");
        assertThat(timeout.status()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout").contains("between 5 and 120");

        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUnreachableTwilioIsARuntimeFailure() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli.Result r = call(env("TWILIO_API_URL", "http://127.0.0.1:" + closed), "+33612345678", "--via", "twilio", "--no-wait");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Twilio did not answer").contains("TWILIO_API_URL");
    }

    @Test
    void autoPrefersABridgeThatAnswersHealth() {
        bridge = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bridge.start();
        bridge.stubFor(get(urlEqualTo("/health")).willReturn(okJson("{\"status\":\"ok\",\"sip_registered\":true}")));
        bridge.stubFor(post(urlEqualTo("/api/calls")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"bridge-call-1\",\"status\":\"initiated\"}")));

        Cli.Result r = call(env(), "+33612345678", "--bridge-url", bridge.baseUrl(), "--no-wait");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("bridge-call-1");
        bridge.verify(1, postRequestedFor(urlEqualTo("/api/calls")));
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void autoFallsBackToTwilioWhenTheBridgeDoesNotAnswer() {
        bridge = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bridge.start();
        bridge.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(503)));
        created();

        Cli.Result r = call(env(), "+33612345678", "--bridge-url", bridge.baseUrl(), "--no-wait");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(SID);
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)));
        bridge.verify(0, postRequestedFor(urlPathMatching("/api/.*")));
    }

    @Test
    void twilioCredentialsAreReadFromDotEnvToo() throws IOException {
        created();
        java.nio.file.Files.writeString(dir.resolve(".env"), "TWILIO_ACCOUNT_SID=" + ACCOUNT + "\nTWILIO_AUTH_TOKEN=" + TOKEN + "\n");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }

        Cli.Result r = call(env("TWILIO_ACCOUNT_SID", null, "TWILIO_AUTH_TOKEN", null), "+33612345678",
                "--bridge-url", "http://127.0.0.1:" + closed, "--no-wait");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(SID);
        String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        twilio.verify(1, postRequestedFor(urlEqualTo(CALLS)).withHeader("Authorization", equalTo(basic)));
    }

    @Test
    void autoWithNeitherABridgeNorTwilioNamesBothVariables() {
        bridge = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bridge.start();
        bridge.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(503)));

        Cli.Result r = call(env("TWILIO_ACCOUNT_SID", null, "TWILIO_AUTH_TOKEN", null), "+33612345678",
                "--bridge-url", bridge.baseUrl(), "--no-wait");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("no bridge answers").contains("BRIDGE_URL")
                .contains("TWILIO_ACCOUNT_SID").contains("TWILIO_AUTH_TOKEN");
        twilio.verify(0, anyRequestedFor(anyUrl()));
    }
}
