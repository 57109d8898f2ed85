package io.voiceorder.app.realtime;

import java.util.Map;

/**
 * Sizes of the buffers the JDK HTTP client keeps for each OpenAI socket for the socket's life. Its
 * defaults (16 KiB each for reading, writing and encoding) are sized for bulk transfers; a call's
 * events are small (caller audio ~300 bytes, assistant audio ~4 KB), and every call holds its own.
 * A larger event is read in several reads and sent in several frames (RFC 6455 fragmentation).
 */
public final class SocketBuffers {
    static final int BYTES = 4096;
    /**
     * Read and write size are read per socket; {@code jdk.httpclient.bufsize} (the read buffer) once,
     * when the JDK client is first used, so {@link #apply()} runs before serve opens any HTTP client.
     */
    static final Map<String, String> PROPERTIES = Map.of(
            "jdk.httpclient.bufsize", Integer.toString(BYTES),
            "jdk.httpclient.websocket.writeBufferSize", Integer.toString(BYTES),
            "jdk.httpclient.websocket.intermediateBufferSize", Integer.toString(BYTES));

    private SocketBuffers() {
    }

    /** Sets the sizes; a value set on the command line ({@code -D}) wins. */
    public static void apply() {
        PROPERTIES.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
    }
}
