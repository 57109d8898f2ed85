package io.voiceorder.app.mediastream;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The caller talks over the assistant: clear first, then a truncate at what was really heard. */
class BargeInTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void bargeInClearsPlaybackAndTruncatesAtTheHeardPosition() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().say(Ulaw.tone(300, 6_000, 0.2), "Bonjour, voici une très longue présentation.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                // Let the greeting play for a while (the fake sends it 4× faster than real time).
                await().atMost(WAIT).until(() -> caller.playedBytes() >= 12_000);
                caller.speak(Ulaw.tone(900, 600, 0.3));

                JsonNode truncate = openai.awaitEvent("conversation.item.truncate", WAIT);
                await().atMost(WAIT).until(() -> !caller.clears().isEmpty());
                TwilioStreamSimulator.ClearObservation clear = caller.clears().get(0);
                long heardMs = clear.playedBytesTotal() / 8;
                assertThat(truncate.path("audio_end_ms").asLong()).isBetween(heardMs - 20, heardMs + 20);
                assertThat(truncate.path("content_index").asInt()).isZero();
                assertThat(truncate.path("item_id").asText()).startsWith("item_");

                // Arrival order across two sockets says nothing about write order, so only the
                // content is checked here: the clear flushed marks that were still pending.
                assertThat(clear.flushedMarks()).isNotEmpty();

                // The marks flushed by clear are not playback: one clear, one truncate, no more.
                await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
                assertThat(caller.clears()).hasSize(1);
                assertThat(openai.eventsOfType("conversation.item.truncate")).hasSize(1);
                assertThat(openai.eventsOfType("response.cancel")).isEmpty();
                assertThat(h.get("/metrics").body()).contains("voiceorder_bargeins_total 1.0");
            }
        }
    }

    @Test
    void speechWithNothingUnplayedSendsNeitherClearNorTruncate() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.");
            h.openai.script().say(Ulaw.tone(350, 400, 0.2), "Je vous écoute.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() == 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                // The fake answers the caller's turn with the second scripted response.
                await().atMost(WAIT).until(() -> caller.receivedAudio().length >= 1_600 + 3_200);
                assertThat(caller.clears()).isEmpty();
                assertThat(openai.eventsOfType("conversation.item.truncate")).isEmpty();
            }
        }
    }
}
