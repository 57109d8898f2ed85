package io.voiceorder.app.agent;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaMessageTest {
    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void readsPayloadAndTrackOfATwilioMediaMessage() {
        MediaMessage m = MediaMessage.parse(JSON, "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"1\",\"timestamp\":\"5\",\"payload\":\"//8A\"},\"streamSid\":\"MZ1\"}");
        assertThat(m).isEqualTo(new MediaMessage("//8A", "inbound"));
    }

    @Test
    void fieldOrderDoesNotMatterAndTrackMayBeAbsent() {
        assertThat(MediaMessage.parse(JSON, "{\"media\":{\"payload\":\"AAAA\"},\"event\":\"media\"}"))
                .isEqualTo(new MediaMessage("AAAA", null));
    }

    @Test
    void aNonStringPayloadIsNullAndANonScalarTrackIsEmpty() {
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":12,\"track\":{\"a\":1}}}"))
                .isEqualTo(new MediaMessage(null, ""));
    }

    @Test
    void theLastOfRepeatedKeysWinsAsInATree() {
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"media\":{\"payload\":\"BBBB\"}}"))
                .isEqualTo(new MediaMessage("BBBB", null));
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"media\":7}")).isNull();
    }

    @Test
    void everythingElseTakesTheFullPath() {
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":\"media\"}}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"stop\"}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":\"AAAA\"}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\"}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":7,\"media\":{\"payload\":\"AAAA\"}}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}")).isNull();
        assertThat(MediaMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}} {}")).isNull();
        assertThat(MediaMessage.parse(JSON, "[\"media\"]")).isNull();
        assertThat(MediaMessage.parse(JSON, "not json \"media\"")).isNull();
    }
}
