package io.voiceorder.app.realtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SocketBuffersTest {
    private final Map<String, String> before = new HashMap<>();

    @BeforeEach
    void remember() {
        SocketBuffers.PROPERTIES.keySet().forEach(name -> before.put(name, System.getProperty(name)));
    }

    @AfterEach
    void restore() {
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void unsetSizesAreSetAndOneGivenOnTheCommandLineIsKept() {
        SocketBuffers.PROPERTIES.keySet().forEach(System::clearProperty);
        System.setProperty("jdk.httpclient.websocket.writeBufferSize", "8192");

        SocketBuffers.apply();

        assertThat(System.getProperty("jdk.httpclient.websocket.writeBufferSize")).isEqualTo("8192");
        assertThat(System.getProperty("jdk.httpclient.websocket.intermediateBufferSize")).isEqualTo("4096");
        assertThat(System.getProperty("jdk.httpclient.bufsize")).isEqualTo("4096");
    }
}
