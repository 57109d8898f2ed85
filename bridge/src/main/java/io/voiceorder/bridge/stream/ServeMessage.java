package io.voiceorder.bridge.stream;

/** A message from serve that the bridge acts on (bridge.md §7.3). */
public sealed interface ServeMessage {
    /** µ-law audio to queue for the caller, any length. */
    record Media(byte[] payload) implements ServeMessage {
    }

    /** A named position in the queued audio, to echo once played. */
    record Mark(String name) implements ServeMessage {
    }

    /** Drop the queued audio and echo every pending mark. */
    record Clear() implements ServeMessage {
    }

    /** The original voice app's hang-up. */
    record Stop() implements ServeMessage {
    }
}
