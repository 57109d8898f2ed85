package io.voiceorder.app.realtime;

import com.fasterxml.jackson.databind.JsonNode;

/** What a {@link RealtimeSocket} reports. Called from the socket's reader; implementations hand off at once. */
public interface RealtimeListener {

    /** One server event, with the {@link System#nanoTime()} at which its last frame was read. */
    void onEvent(JsonNode event, long readNanos);

    /** The socket ended without this side closing it: a close frame from OpenAI, or a broken connection. */
    void onLost(String reason);
}
