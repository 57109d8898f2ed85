package io.voiceorder.bridge.media;

import io.voiceorder.bridge.support.LegHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** serve's messages split over continuation frames (RFC 6455 §5.4): reassembled up to 64 KiB, beyond it a lost stream. */
class StreamFramesTest {

    @Test
    void aMessageInFragmentsIsReassembledAndActedOn() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.sendFragmented("{\"event\":\"mark\",\"streamSid\":\"" + h.sid + "\",\"mark\":{\"name\":\"in-pieces é\"}}", 5);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("mark").size() == 1);
            assertThat(h.serve.events("mark").get(0).json().path("mark").path("name").asText()).isEqualTo("in-pieces é");
            assertThat(h.engine.stats().wsMessagesDropped().values().stream().mapToLong(Long::longValue).sum()).isZero();
            assertThat(h.serve.closeCode()).isEqualTo(-1);
        }
    }

    @Test
    void fragmentsAddingUpToMoreThan64KiBCloseWithMessageTooBigAndAreALostStream() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            // About 75 KB of text in frames of about 19 KB: each frame is allowed, the message is not.
            String media = "{\"event\":\"media\",\"streamSid\":\"" + h.sid + "\",\"media\":{\"payload\":\""
                    + Base64.getEncoder().encodeToString(new byte[56_000]) + "\"}}";
            h.serve.sendFragmented(media, 4);
            await().atMost(Duration.ofSeconds(3)).until(() -> !h.listener.of("streamLost").isEmpty());
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.closeCode() != -1);
            assertThat(h.serve.closeCode()).as("close code").isEqualTo(1009);
            assertThat(h.engine.stats().wsDisconnects()).containsEntry("oversize", 1L);
        }
    }
}
