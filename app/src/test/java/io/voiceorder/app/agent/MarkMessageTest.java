package io.voiceorder.app.agent;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MarkMessageTest {
    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void readsTheNameOfATwilioMarkEcho() {
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\","
                + "\"mark\":{\"name\":\"item_1:7\"}}")).isEqualTo(new MarkMessage("item_1:7"));
        assertThat(MarkMessage.parse(JSON, "{\"mark\":{\"x\":[1],\"name\":\"a\\\"b\"},\"event\":\"mark\"}"))
                .isEqualTo(new MarkMessage("a\"b"));
    }

    @Test
    void theLastOfRepeatedKeysWinsAsInATree() {
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":\"a\"},\"mark\":{\"name\":\"b\"}}"))
                .isEqualTo(new MarkMessage("b"));
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":\"a\"},\"mark\":3}")).isNull();
    }

    @Test
    void everythingElseTakesTheFullPath() {
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"media\",\"media\":{\"payload\":\"mark\"}}")).isNull();
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":7}}")).isNull();
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{}}")).isNull();
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\"}")).isNull();
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":\"a\"}")).isNull();
        assertThat(MarkMessage.parse(JSON, "{\"event\":\"mark\",\"mark\":{\"name\":\"a\"}} x")).isNull();
        assertThat(MarkMessage.parse(JSON, "\"mark\"")).isNull();
    }
}
