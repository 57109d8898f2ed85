package io.voiceorder.bridge.media;

/**
 * Frames from a joined leg (bridged transfer, bridge.md §5.9), at most three deep: the oldest goes
 * when a fourth arrives, so the two legs' clocks cannot build up delay. Only the pacer thread
 * touches it (both legs tick there), so it needs no lock.
 */
final class JoinedAudio {
    static final int DEPTH = 3;
    private final byte[][] frames = new byte[DEPTH][160];
    private int head;
    private int count;

    void push(byte[] frame) {
        int tail = (head + count) % DEPTH;
        System.arraycopy(frame, 0, frames[tail], 0, 160);
        if (count == DEPTH) {
            head = (head + 1) % DEPTH;
        } else {
            count++;
        }
    }

    /** @return false when empty (out untouched) */
    boolean take(byte[] out) {
        if (count == 0) {
            return false;
        }
        System.arraycopy(frames[head], 0, out, 0, 160);
        head = (head + 1) % DEPTH;
        count--;
        return true;
    }
}
