package io.voiceorder.app.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one assistant item's µ-law stream into 20 ms chunks (160 bytes). OpenAI's deltas have any
 * length; a remainder waits for the next delta, and the last one is padded with µ-law silence.
 */
final class AudioChunker {
    static final int CHUNK_BYTES = 160;
    static final byte ULAW_SILENCE = (byte) 0xFF;

    private final byte[] pending = new byte[CHUNK_BYTES];
    private int pendingLength;

    /** Whole chunks completed by {@code data}, in order. */
    List<byte[]> feed(byte[] data) {
        List<byte[]> chunks = new ArrayList<>((pendingLength + data.length) / CHUNK_BYTES);
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(CHUNK_BYTES - pendingLength, data.length - offset);
            System.arraycopy(data, offset, pending, pendingLength, n);
            pendingLength += n;
            offset += n;
            if (pendingLength == CHUNK_BYTES) {
                chunks.add(pending.clone());
                pendingLength = 0;
            }
        }
        return chunks;
    }

    int pendingBytes() {
        return pendingLength;
    }

    /** The remainder padded to a whole chunk, or null if there is none. */
    byte[] flush() {
        if (pendingLength == 0) {
            return null;
        }
        byte[] chunk = pending.clone();
        java.util.Arrays.fill(chunk, pendingLength, CHUNK_BYTES, ULAW_SILENCE);
        pendingLength = 0;
        return chunk;
    }

    void clear() {
        pendingLength = 0;
    }
}
