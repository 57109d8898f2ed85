package io.voiceorder.app.mediastream;

import io.voiceorder.fixtures.audio.Bytes;
import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole call over real sockets: Twilio stream simulator → serve → fake OpenAI Realtime. */
class WholeCallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void sessionUpdateIsTheFirstEventAndCarriesTheConfiguredSession() {
        try (ServeHarness h = ServeHarness.start(Map.of("VAD_THRESHOLD", "0.7", "VAD_SILENCE_MS", "400",
                "VAD_PREFIX_PADDING_MS", "250", "OPENAI_VOICE", "marin"));
             TwilioStreamSimulator caller = h.call()) {
            FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
            openai.awaitEvent("response.create", WAIT);

            assertThat(openai.header("Authorization")).isEqualTo("Bearer " + ServeHarness.API_KEY);
            assertThat(openai.header("OpenAI-Beta")).isNull();
            assertThat(openai.requestUri()).isEqualTo("/v1/realtime?model=gpt-realtime");
            JsonNode first = openai.received().get(0);
            assertThat(first.path("type").asText()).isEqualTo("session.update");
            JsonNode s = first.path("session");
            assertThat(s.path("type").asText()).isEqualTo("realtime");
            assertThat(s.path("model").asText()).isEqualTo("gpt-realtime");
            assertThat(s.path("output_modalities").toString()).isEqualTo("[\"audio\"]");
            assertThat(s.at("/audio/input/format/type").asText()).isEqualTo("audio/pcmu");
            assertThat(s.at("/audio/output/format/type").asText()).isEqualTo("audio/pcmu");
            // The sample restaurant names its voice, and the restaurant's voice wins over OPENAI_VOICE.
            assertThat(s.at("/audio/output/voice").asText()).isEqualTo("sage");
            assertThat(s.at("/audio/input/transcription/language").asText()).isEqualTo("fr");
            assertThat(s.path("instructions").asText()).contains("Margherita").contains("end_call");
            JsonNode vad = s.at("/audio/input/turn_detection");
            assertThat(vad.path("type").asText()).isEqualTo("server_vad");
            assertThat(vad.path("threshold").asDouble()).isEqualTo(0.7);
            assertThat(vad.path("silence_duration_ms").asInt()).isEqualTo(400);
            assertThat(vad.path("prefix_padding_ms").asInt()).isEqualTo(250);
            assertThat(vad.path("create_response").asBoolean()).isTrue();
            assertThat(vad.path("interrupt_response").asBoolean()).isTrue();
            assertThat(s.at("/audio/input/transcription/model").asText()).isEqualTo("gpt-4o-mini-transcribe");
            assertThat(s.path("tools").findValuesAsText("name")).contains("end_call", "check_availability", "confirm_order");
            assertThat(s.path("tool_choice").asText()).isEqualTo("auto");
            assertThat(s.has("modalities")).isFalse();
            assertThat(s.has("input_audio_format")).isFalse();
            // The opening cue, then the request to speak.
            List<String> types = openai.received().stream().map(e -> e.path("type").asText()).toList();
            assertThat(types.subList(0, 3)).containsExactly("session.update", "conversation.item.create", "response.create");
        }
    }

    @Test
    void assistantAudioArrivesByteIdenticalInChunksOf160EachFollowedByItsMark() {
        byte[] greeting = Ulaw.tone(300, 1_234, 0.2); // 9 872 bytes: 61.7 chunks of 160
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().say(greeting, "Bonjour !");
            try (TwilioStreamSimulator caller = h.call()) {
                await().atMost(WAIT).until(() -> caller.receivedAudio().length >= greeting.length);
                byte[] got = caller.receivedAudio();
                assertThat(got).hasSize(9_920); // 62 chunks, the last one padded
                assertThat(Arrays.copyOf(got, greeting.length)).isEqualTo(greeting);
                for (int i = greeting.length; i < got.length; i++) {
                    assertThat(got[i]).isEqualTo(Ulaw.SILENCE);
                }
                List<TwilioStreamSimulator.ReceivedMessage> out = caller.received();
                for (int i = 0; i < out.size(); i += 2) {
                    assertThat(out.get(i).event()).isEqualTo("media");
                    assertThat(Base64.getDecoder().decode(out.get(i).json().at("/media/payload").asText())).hasSize(160);
                    assertThat(out.get(i).json().path("streamSid").asText()).isNotEmpty();
                    assertThat(out.get(i + 1).event()).isEqualTo("mark");
                    assertThat(out.get(i + 1).json().at("/mark/name").asText()).matches("item_\\d+:\\d+");
                }
                // Every mark is echoed once the audio has played; all 62 come back.
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() == 62);
            }
        }
    }

    @Test
    void callerAudioReachesOpenAiByteIdenticalAfterTheSessionIsConfigured() {
        byte[] speech = Ulaw.tone(700, 400, 0.05); // quiet: below the fake's VAD, no response is triggered
        try (ServeHarness h = ServeHarness.start();
             TwilioStreamSimulator caller = h.call()) {
            FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
            openai.awaitEvent("response.create", WAIT);
            caller.speak(speech);
            await().atMost(WAIT).until(() -> Bytes.indexOf(openai.receivedAudio(), speech) >= 0);
            // Every append follows session.update.
            List<String> types = openai.received().stream().map(e -> e.path("type").asText()).toList();
            assertThat(types.indexOf("input_audio_buffer.append")).isGreaterThan(types.indexOf("session.update"));
        }
    }

    @Test
    void stopEndsTheCallAndClosesTheOpenAiSocket() {
        try (ServeHarness h = ServeHarness.start(); LogCapture logs = new LogCapture()) {
            TwilioStreamSimulator caller = h.call();
            FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
            openai.awaitEvent("response.create", WAIT);
            caller.sendStop();
            await().atMost(Duration.ofSeconds(2)).until(() -> !openai.isOpen());
            await().atMost(WAIT).until(() -> !caller.isOpen());
            assertThat(caller.closed().join().code()).isEqualTo(1000);
            assertThat(caller.receivedOf("stop")).isEmpty();
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("call ended: reason=caller_hangup")));
            assertThat(logs.lines().stream().filter(l -> l.contains("call ended")).count()).isEqualTo(1);
            assertThat(logs.lines().stream().filter(l -> l.contains("call ended")).findFirst().orElseThrow())
                    .contains("callSid=" + caller.callSid());
        }
    }

    @Test
    void stopAndCloseTogetherEndTheCallOnce() {
        try (ServeHarness h = ServeHarness.start(); LogCapture logs = new LogCapture()) {
            TwilioStreamSimulator caller = h.call();
            h.openai.awaitSession(0, WAIT).awaitEvent("response.create", WAIT);
            caller.sendStop();
            caller.close();
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("call ended")));
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
            assertThat(logs.lines().stream().filter(l -> l.contains("call ended")).count()).isEqualTo(1);
            assertThat(h.get("/health").body()).contains("\"activeCalls\":0");
        }
    }

}
