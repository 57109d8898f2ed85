package io.voiceorder.bridge.media;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaSettingsTest {
    private static final URI TARGET = URI.create("ws://localhost:5050/media-stream");

    @Test
    void secretNeverAppearsInText() {
        MediaSettings s = new MediaSettings("0.0.0.0", null, 10000, 20000, 60, 0, 0, false, 60, 0, TARGET,
                "super-secret-value", null, "AC0");
        assertThat(s.toString()).doesNotContain("super-secret-value").contains("mediaStreamSecret=set");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> new MediaSettings("0.0.0.0", null, 20000, 10000, 60, 0, 0, false, 60, 0, TARGET, null, null, "AC0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rtp-ports");
        assertThatThrownBy(() -> new MediaSettings("0.0.0.0", null, 10000, 20000, 10, 0, 0, false, 60, 0, TARGET, null, null, "AC0"))
                .hasMessageContaining("--jitter-buffer-ms");
        assertThatThrownBy(() -> new MediaSettings("0.0.0.0", null, 10000, 20000, 60, 30, 0, false, 60, 0, TARGET, null, null, "AC0"))
                .hasMessageContaining("gain");
        assertThatThrownBy(() -> new MediaSettings("0.0.0.0", null, 10000, 20000, 60, 0, 0, false, 60, 0,
                URI.create("http://x/y"), null, null, "AC0")).hasMessageContaining("--ws-target");
        assertThatThrownBy(() -> new MediaSettings("0.0.0.0", null, 10000, 20000, 60, 0, 0, false, 60, 100, TARGET, null, null, "AC0"))
                .hasMessageContaining("--pacer-priority");
    }

    @Test
    void startParametersPutTheBuiltInKeysFirstAndNeverTakeReservedOnes() {
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("restaurantId", "r1");
        custom.put("callSid", "CAforged");
        custom.put("direction", "outbound");
        custom.put("promo", "x");
        StreamStart start = new StreamStart("+33612345678", "inbound", "+33972360682", custom);
        assertThat(start.startParameters()).containsExactly(Map.entry("callerPhone", "+33612345678"),
                Map.entry("direction", "inbound"), Map.entry("to", "+33972360682"), Map.entry("restaurantId", "r1"),
                Map.entry("promo", "x"));
        assertThatThrownBy(() -> new StreamStart("a", "sideways", "b", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
