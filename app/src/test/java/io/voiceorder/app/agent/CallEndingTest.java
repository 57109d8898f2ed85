package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How calls end: the agent's hang-up, the watchdog, and OpenAI being unusable. */
class CallEndingTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void endCallPlaysTheGoodbyeToItsLastMarkThenCloses() {
        byte[] goodbye = Ulaw.tone(320, 800, 0.2);
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().sayAndCall(goodbye, "Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode output = openai.awaitEvent("conversation.item.create", WAIT);
                var closed = caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                assertThat(closed.code()).isEqualTo(1000);
                // Every chunk of the goodbye was played and its mark echoed before the close.
                assertThat(caller.echoedMarks()).hasSize(40);
                assertThat(caller.playedBytes()).isEqualTo(goodbye.length);
                assertThat(caller.receivedOf("stop")).isEmpty();
                assertThat(openai.eventsOfType("conversation.item.create").stream()
                        .anyMatch(e -> e.at("/item/type").asText().equals("function_call_output")
                                && e.at("/item/output").asText().contains("\"success\":true"))).isTrue();
                assertThat(output).isNotNull();
            }
        }
    }

    @Test
    void withoutMarkEchoesTheStreamStillClosesAfterTheDrainCap() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().sayAndCall(Ulaw.tone(320, 400, 0.2), "Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call(SimulatorOptions.twilioCall().withoutMarkEchoes())) {
                var closed = caller.closed().orTimeout(20, TimeUnit.SECONDS).join();
                assertThat(closed.code()).isEqualTo(1000);
                long sinceLastChunk = closed.nanoTime() - caller.lastMediaReceivedNanos();
                assertThat(Duration.ofNanos(sinceLastChunk)).isLessThan(Duration.ofSeconds(9));
                assertThat(Duration.ofNanos(sinceLastChunk)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
            }
        }
    }

    @Test
    void endCallWithoutAudioAsksForAGoodbyeWithNoTools() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().call("end_call", "{}");
            h.openai.script().say(Ulaw.tone(330, 300, 0.2), "Au revoir.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode goodbye = openai.awaitEvent(e -> e.path("type").asText().equals("response.create")
                        && e.has("response"), "goodbye response.create", WAIT);
                assertThat(goodbye.at("/response/tool_choice").asText()).isEqualTo("none");
                assertThat(goodbye.at("/response/instructions").asText()).isNotBlank();
                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                assertThat(caller.receivedAudio()).hasSize(2_400);
            }
        }
    }

    @Test
    void afterEndCallCallerAudioIsNoLongerForwarded() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().sayAndCall(Ulaw.tone(320, 1_500, 0.2), "Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                openai.awaitEvent(e -> e.at("/item/type").asText().equals("function_call_output"), "end_call output", WAIT);
                int before = openai.receivedAudio().length;
                await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);
                assertThat(openai.receivedAudio().length).isLessThanOrEqualTo(before + 160);
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
        }
    }

    @Test
    void theWatchdogSendsTheWrapUpCueThenEndsTheCall() {
        CallTimings s = CallTimings.standard();
        CallTimings fast = new CallTimings(s.startTimeout(), s.streamIdleTimeout(), s.sessionCreatedWait(), s.goodbyeResponseCap(),
                s.drainCap(), s.afterDrainPause(), s.watchdogDrainCap(), Duration.ofSeconds(2), Duration.ofSeconds(1),
                s.dtmfGap(), s.promptDrainCap());
        try (LogCapture logs = new LogCapture();
             ServeHarness h = ServeHarness.start(Map.of("MAX_CALL_DURATION", "4"), fast, FakeRealtimeServer.Options.defaults())) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode cue = openai.awaitEvent(e -> e.at("/item/role").asText().equals("system")
                        && e.at("/item/content/0/text").asText().contains("end_call"), "wrap-up cue", WAIT);
                assertThat(cue).isNotNull();
                var closed = caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                assertThat(closed.code()).isEqualTo(1000);
                await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("reason=max_duration")));
            }
        }
    }

    @Test
    void openAiUnreachableIsRetriedThenEndsTheCallWithTheReason() {
        int closedPort = ServeHarness.freePort();
        try (LogCapture logs = new LogCapture();
             ServeHarness h = ServeHarness.start(Map.of("OPENAI_REALTIME_URL", "ws://127.0.0.1:" + closedPort + "/v1/realtime"));
             TwilioStreamSimulator caller = h.call()) {
            assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
            assertThat(logs.lines().stream().filter(l -> l.startsWith("ERROR") && l.contains("connect_refused")).count()).isEqualTo(1);
        }
    }

    @Test
    void openAiDroppingTheSocketMidCallWithNoWayBackEndsTheCallCleanly() {
        try (LogCapture logs = new LogCapture(); ServeHarness h = ServeHarness.start()) {
            h.openai.script().say(Ulaw.tone(300, 300, 0.2), "Bonjour.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() == 15);
                h.openai.refuseUpgrades(503); // every reconnection attempt fails
                openai.closeAbruptly();
                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                assertThat(caller.receivedAudio().length).isGreaterThan(2_400 + 8_000);
                assertThat(h.openai.refusedUpgrades()).isEqualTo(5); // the five attempts of the schedule
                await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("reason=openai_unavailable outcome=error")));
            }
        }
    }
}
