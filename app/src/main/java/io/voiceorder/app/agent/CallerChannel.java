package io.voiceorder.app.agent;

/**
 * The caller side of one call (Twilio, or the bridge) as serve writes to it: the three messages of
 * the media-stream protocol, and closing. Writes are queued and never block.
 */
public interface CallerChannel {

    /** Names the stream in every later message ({@code start} told serve its sid). */
    void streamSid(String sid);

    /** One 20 ms chunk followed by its own mark. */
    void mediaWithMark(byte[] ulawChunk, String markName);

    void clear();

    /** Closes the WebSocket; nothing is written after. */
    void close(int code, String reason);

    /** The peer address, for logs. */
    String peer();
}
