package io.voiceorder.bridge.rtp;

import java.util.Arrays;

/**
 * The inbound jitter buffer of one call (bridge.md §6.4), on G.711 samples (one byte each, 8 kHz).
 * Packets of any duration are written at their RTP timestamp position in a ring of samples; playout
 * starts a fixed delay after the first packet and takes one 160-sample frame per tick. Late samples
 * are dropped, missing ones become silence, excess depth (drift, bursts) is dropped back to the delay,
 * and an SSRC change, a timestamp jump beyond one second or a run of late packets resets the
 * playout point. Not thread-safe: callers hold the leg's lock.
 */
public final class JitterBuffer {
    public static final int FRAME = 160;
    private static final int CAPACITY = 1 << 14;
    private static final int MASK = CAPACITY - 1;
    private static final int JUMP_SAMPLES = 8000;
    private static final int LATE_RUN_RESET = 3;

    /** What {@link #insert} did with a packet. */
    public enum Insert { ACCEPTED, LATE, DUPLICATE }

    /** What a frame taken by {@link #next} holds. */
    public enum Frame { WAITING, AUDIO, CONCEALED }

    private final byte[] samples = new byte[CAPACITY];
    private final boolean[] filled = new boolean[CAPACITY];
    private final int delaySamples;
    private final int maxDepthSamples;
    private final long delayNanos;
    private final byte silence;

    private boolean active;
    private boolean playing;
    private long startAtNanos;
    private long ssrc;
    private long playoutTs;
    private long highestEnd;
    private int lateRun;
    private boolean comfortNoise;
    private long droppedFrames;

    /**
     * @param delayMs playout delay after the first packet
     * @param silence the byte of a zero sample in the stored encoding
     */
    public JitterBuffer(int delayMs, byte silence) {
        if (delayMs < 20 || delayMs > 300) {
            throw new IllegalArgumentException("jitter buffer delay must be 20-300 ms, got " + delayMs);
        }
        this.delaySamples = delayMs * 8;
        this.maxDepthSamples = delaySamples + 200 * 8;
        this.delayNanos = delayMs * 1_000_000L;
        this.silence = silence;
    }

    /**
     * Writes a packet's samples at its timestamp.
     * @param converter table applied to every byte on the way in (e.g. A-law → µ-law), or null
     */
    public Insert insert(long packetSsrc, long rtpTimestamp, byte[] data, int offset, int length, byte[] converter, long nowNanos) {
        if (!active || packetSsrc != ssrc) {
            reset(packetSsrc, rtpTimestamp, nowNanos);
        }
        long ext = extend(rtpTimestamp);
        long reference = playing ? playoutTs : highestEnd;
        if (Math.abs(ext - reference) > JUMP_SAMPLES) {
            reset(packetSsrc, rtpTimestamp, nowNanos);
            ext = playoutTs;
        }
        long end = ext + length;
        if (end <= playoutTs) {
            if (++lateRun >= LATE_RUN_RESET) {
                // The source's timeline moved back for good (e.g. it paused its clock): follow it.
                reset(packetSsrc, rtpTimestamp, nowNanos);
                return insert(packetSsrc, rtpTimestamp, data, offset, length, converter, nowNanos);
            }
            return Insert.LATE;
        }
        lateRun = 0;
        long from = Math.max(ext, playoutTs);
        int written = 0;
        for (long ts = from; ts < end; ts++) {
            int i = (int) (ts & MASK);
            if (filled[i]) {
                continue;
            }
            byte b = data[offset + (int) (ts - ext)];
            samples[i] = converter == null ? b : converter[b & 0xFF];
            filled[i] = true;
            written++;
        }
        comfortNoise = false;
        if (end > highestEnd) {
            highestEnd = end;
        }
        if (highestEnd - playoutTs > maxDepthSamples) {
            long newPlayout = highestEnd - delaySamples;
            droppedFrames += (newPlayout - playoutTs) / FRAME;
            clear(playoutTs, newPlayout);
            playoutTs = newPlayout;
        }
        return written == 0 ? Insert.DUPLICATE : Insert.ACCEPTED;
    }

    /** Comfort noise (RFC 3389) was received: the gap that follows is silence, not loss. */
    public void comfortNoise(long packetSsrc, long rtpTimestamp, long nowNanos) {
        if (!active || packetSsrc != ssrc) {
            reset(packetSsrc, rtpTimestamp, nowNanos);
        }
        comfortNoise = true;
    }

    /** Takes the next 160 samples into out; missing samples are silence. */
    public Frame next(byte[] out, int offset, long nowNanos) {
        if (!active || (!playing && nowNanos - startAtNanos < 0)) {
            Arrays.fill(out, offset, offset + FRAME, silence);
            return Frame.WAITING;
        }
        playing = true;
        boolean missing = false;
        for (int k = 0; k < FRAME; k++) {
            int i = (int) ((playoutTs + k) & MASK);
            if (filled[i]) {
                out[offset + k] = samples[i];
                filled[i] = false;
            } else {
                out[offset + k] = silence;
                missing = true;
            }
        }
        playoutTs += FRAME;
        if (highestEnd < playoutTs) {
            highestEnd = playoutTs;
        }
        return missing && !comfortNoise ? Frame.CONCEALED : Frame.AUDIO;
    }

    /** Frames dropped to bring the depth back to the delay. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** Samples buffered ahead of the playout point. */
    public int depthSamples() {
        return active ? (int) (highestEnd - playoutTs) : 0;
    }

    private void reset(long packetSsrc, long rtpTimestamp, long nowNanos) {
        Arrays.fill(filled, false);
        active = true;
        playing = false;
        ssrc = packetSsrc;
        playoutTs = rtpTimestamp;
        highestEnd = rtpTimestamp;
        startAtNanos = nowNanos + delayNanos;
        lateRun = 0;
    }

    /** Places a 32-bit timestamp on the extended timeline nearest the playout point. */
    private long extend(long rtpTimestamp) {
        int delta = (int) (rtpTimestamp - (playoutTs & 0xFFFFFFFFL));
        return playoutTs + delta;
    }

    private void clear(long from, long to) {
        for (long ts = from; ts < to; ts++) {
            filled[(int) (ts & MASK)] = false;
        }
    }
}
