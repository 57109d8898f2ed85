package io.voiceorder.bridge.media;

import io.voiceorder.bridge.audio.G711;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * serve's audio for one call, waiting for the pacer (bridge.md §6.5, §6.7): a ring of µ-law bytes
 * capped at 120 s (it starts small and doubles as needed, so an idle call holds little memory), and
 * the marks placed in it. A mark sits at the byte count queued before it and
 * is due once the pacer has taken every byte before it. Not thread-safe: the leg's lock guards it.
 */
final class PlayoutQueue {
    static final int CAPACITY = 960_000;
    static final int FRAME = 160;
    private static final int INITIAL = 16 * 1024;

    private record PendingMark(long position, String name) {
    }

    private byte[] ring = new byte[INITIAL];
    private final ArrayDeque<PendingMark> marks = new ArrayDeque<>();
    private int head;
    private int size;
    private long queuedTotal;
    private long takenTotal;

    /** Appends audio; @return bytes discarded because the queue is full */
    int append(byte[] data) {
        int accepted = Math.min(data.length, CAPACITY - size);
        ensureRoom(size + accepted);
        int tail = (head + size) % ring.length;
        int first = Math.min(accepted, ring.length - tail);
        System.arraycopy(data, 0, ring, tail, first);
        System.arraycopy(data, first, ring, 0, accepted - first);
        size += accepted;
        queuedTotal += accepted;
        return data.length - accepted;
    }

    private void ensureRoom(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int capacity = ring.length;
        while (capacity < needed) {
            capacity = Math.min(CAPACITY, capacity * 2);
        }
        byte[] grown = new byte[capacity];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, grown, 0, first);
        System.arraycopy(ring, 0, grown, first, size - first);
        ring = grown;
        head = 0;
    }

    void mark(String name) {
        marks.add(new PendingMark(queuedTotal, name));
    }

    /**
     * Takes the next frame into out (160 bytes); a final partial frame is completed with silence.
     * @return the number of queued bytes taken (0 = underflow, out untouched)
     */
    int take(byte[] out) {
        if (size == 0) {
            return 0;
        }
        int n = Math.min(FRAME, size);
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        for (int i = n; i < FRAME; i++) {
            out[i] = G711.ULAW_SILENCE;
        }
        head = (head + n) % ring.length;
        size -= n;
        takenTotal += n;
        return n;
    }

    /** Hands every mark whose audio has all been taken to the consumer, in order. */
    void dueMarks(Consumer<String> echo) {
        while (!marks.isEmpty() && marks.peekFirst().position() <= takenTotal) {
            echo.accept(marks.pollFirst().name());
        }
    }

    /** Empties the queue; every pending mark goes to the consumer in order. @return bytes dropped */
    int clear(Consumer<String> echo) {
        int dropped = size;
        head = 0;
        size = 0;
        takenTotal = queuedTotal;
        while (!marks.isEmpty()) {
            echo.accept(marks.pollFirst().name());
        }
        return dropped;
    }

    /** Keeps at most maxBytes of queued audio (the oldest); @return bytes dropped */
    int truncate(int maxBytes) {
        if (size <= maxBytes) {
            return 0;
        }
        int dropped = size - maxBytes;
        size = maxBytes;
        queuedTotal -= dropped;
        return dropped;
    }

    int size() {
        return size;
    }
}
