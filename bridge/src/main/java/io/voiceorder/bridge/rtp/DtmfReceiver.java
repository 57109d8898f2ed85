package io.voiceorder.bridge.rtp;

/**
 * RFC 4733 reception (bridge.md §5.10): one digit per key press, reported on the first packet with
 * the end bit for an event timestamp; retransmitted end packets are recognised by (SSRC, timestamp);
 * an event whose end never arrives is reported once no packet of it came for the end timeout.
 * Not thread-safe: the receiver thread feeds it, the pacer polls it, under the leg's lock.
 */
public final class DtmfReceiver {
    /** An event with no end packet is reported this long after its last packet. */
    public static final long MISSING_END_NANOS = 500_000_000L;
    private static final int REMEMBERED = 8;

    /** Receives a detected digit. */
    @FunctionalInterface
    public interface DigitSink {
        void onDigit(char digit);
    }

    private final DigitSink sink;
    private final long[] doneSsrc = new long[REMEMBERED];
    private final long[] doneTs = new long[REMEMBERED];
    private int doneNext;
    private boolean current;
    private long currentSsrc;
    private long currentTs;
    private int currentEvent;
    private long lastPacketNanos;

    public DtmfReceiver(DigitSink sink) {
        this.sink = sink;
        java.util.Arrays.fill(doneTs, -1);
    }

    public void onPacket(long ssrc, long timestamp, TelephoneEvent event, long nowNanos) {
        if (isDone(ssrc, timestamp)) {
            return;
        }
        if (current && (ssrc != currentSsrc || timestamp != currentTs)) {
            // A new event began before the previous one ended: report the previous one now.
            finish();
        }
        current = true;
        currentSsrc = ssrc;
        currentTs = timestamp;
        currentEvent = event.event();
        lastPacketNanos = nowNanos;
        if (event.end()) {
            finish();
        }
    }

    /** Reports an event left without its end packet for too long. */
    public void poll(long nowNanos) {
        if (current && nowNanos - lastPacketNanos >= MISSING_END_NANOS) {
            finish();
        }
    }

    private void finish() {
        current = false;
        doneSsrc[doneNext] = currentSsrc;
        doneTs[doneNext] = currentTs;
        doneNext = (doneNext + 1) % REMEMBERED;
        char digit = TelephoneEvent.digitOf(currentEvent);
        if (digit != 0) {
            sink.onDigit(digit);
        }
    }

    private boolean isDone(long ssrc, long timestamp) {
        for (int i = 0; i < REMEMBERED; i++) {
            if (doneTs[i] == timestamp && doneSsrc[i] == ssrc) {
                return true;
            }
        }
        return false;
    }
}
