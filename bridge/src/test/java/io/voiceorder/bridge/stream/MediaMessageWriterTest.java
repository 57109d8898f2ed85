package io.voiceorder.bridge.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MediaMessageWriterTest {

    @Test
    void writesExactlyTheTwilioMediaMessageForEveryPayloadLengthAndCounter() {
        String sid = "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90";
        MediaMessageWriter writer = new MediaMessageWriter(sid);
        Random random = new Random(3);
        long[] counters = {0, 1, 9, 10, 99, 100, 12345, 999_999, 1_000_000_007L, Long.MAX_VALUE / 20};
        for (int length : new int[] {0, 1, 2, 3, 4, 159, 160, 161, 320, 1000}) {
            byte[] data = new byte[length + 7];
            random.nextBytes(data);
            for (long counter : counters) {
                String expected = TwilioJson.media(counter + 1, sid, counter,
                        Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(data, 5, 5 + length)));
                assertThat(text(writer, counter + 1, counter, data, 5, length)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSidWithCharactersToEscapeStaysValidJson() throws Exception {
        MediaMessageWriter writer = new MediaMessageWriter("é\"x");
        String text = text(writer, 2, 1, new byte[160], 0, 160);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        assertThat(json.path("streamSid").asText()).isEqualTo("é\"x");
        assertThat(json.path("media").path("payload").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[160]));
    }

    /** The message as the frame carries it: ASCII bytes in a pooled buffer. */
    private static String text(MediaMessageWriter writer, long sequence, long chunk, byte[] frame, int offset, int length) {
        ByteBuf bytes = writer.write(sequence, chunk, frame, offset, length, ByteBufAllocator.DEFAULT);
        try {
            return bytes.toString(StandardCharsets.US_ASCII);
        } finally {
            bytes.release();
        }
    }
}
