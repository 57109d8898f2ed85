package io.voiceorder.app.mediastream;

import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import io.voiceorder.fixtures.twilio.UpgradeRefusedException;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Calls that end because the caller side went quiet, or because serve is shutting down. */
class StreamEndingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static CallTimings withIdleTimeout(Duration idle) {
        CallTimings s = CallTimings.standard();
        return new CallTimings(s.startTimeout(), idle, s.sessionCreatedWait(), s.goodbyeResponseCap(), s.drainCap(),
                s.afterDrainPause(), s.watchdogDrainCap(), s.wrapUpLead(), s.wrapUpMinDuration(), s.dtmfGap(),
                s.promptDrainCap());
    }

    @Test
    void aStreamThatFallsSilentIsClosedWith1001AndItsOpenAiSocketToo() {
        try (ServeHarness h = ServeHarness.start(Map.of(), withIdleTimeout(Duration.ofMillis(1500)),
                FakeRealtimeServer.Options.defaults());
             TwilioStreamSimulator call = h.call()) {
            FakeRealtimeSession session = h.openai.awaitSession(0, WAIT);
            session.awaitEvent("session.update", WAIT);

            call.haltUplink();

            assertThat(call.awaitClosed(WAIT).code()).isEqualTo(1001);
            assertThat(session.closed().orTimeout(10, TimeUnit.SECONDS).join()).isNotNull();
            await().atMost(WAIT).until(() -> h.get("/health").body().contains("\"activeCalls\":0"));
        }
    }

    @Test
    void drainRefusesNewStreamsThenEndsTheLiveCallWithShutdown() {
        try (ServeHarness h = ServeHarness.start();
             TwilioStreamSimulator live = h.call()) {
            h.openai.awaitSession(0, WAIT).awaitEvent("session.update", WAIT);

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> h.serve.drainAndStop(Duration.ofSeconds(2)));

            await().atMost(WAIT).until(() -> h.get("/health").statusCode() == 503);
            HttpResponse<String> health = h.get("/health");
            assertThat(health.body()).contains("\"status\":\"draining\"");
            UpgradeRefusedException refused = catchThrowableOfType(() -> h.call().close(), UpgradeRefusedException.class);
            assertThat(refused).isNotNull();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(live.isOpen()).isTrue();

            assertThat(live.awaitClosed(WAIT).code()).isEqualTo(1001);
            drained.orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void drainLetsACallThatEndsOnItsOwnFinishNormally() {
        try (ServeHarness h = ServeHarness.start();
             TwilioStreamSimulator live = h.call()) {
            h.openai.awaitSession(0, WAIT).awaitEvent("session.update", WAIT);

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> h.serve.drainAndStop(Duration.ofSeconds(30)));
            await().atMost(WAIT).until(() -> h.get("/health").statusCode() == 503);
            live.sendStop();

            // The 30 s grace is not used up: the drain returns as soon as the last call has ended.
            drained.orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(live.awaitClosed(WAIT).code()).isNotEqualTo(1001);
        }
    }

    @Test
    void aCallStillSpeakingWhenTheGraceEndsIsClosedOnlyOnceItsSentenceHasPlayed() {
        byte[] sentence = Ulaw.tone(300, 3_000, 0.2);
        // The whole sentence reaches serve at once; the caller side plays it in real time.
        try (ServeHarness h = ServeHarness.start(Map.of(), CallTimings.standard(),
                FakeRealtimeServer.Options.defaults().withAudioSpeed(0))) {
            h.openai.script().say(sentence, "Pizzeria Da Marco bonjour, que puis-je faire pour vous ?");
            TwilioStreamSimulator live = h.call();
            await().atMost(WAIT).until(() -> live.receivedAudioBytes() >= sentence.length);
            assertThat(live.playedBytes()).isLessThan(sentence.length / 2);

            h.serve.drainAndStop(Duration.ofMillis(100));

            assertThat(live.awaitClosed(WAIT).code()).isEqualTo(1001);
            assertThat(Bytes.indexOf(live.playedAudio(), sentence)).as("the sentence was heard to its end").isGreaterThanOrEqualTo(0);
            assertThat(live.pendingMarks()).isZero();
            live.close();
        }
    }
}
