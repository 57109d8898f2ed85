package io.voiceorder.bridge.rtp;

import java.util.ArrayDeque;

/**
 * Digits out (bridge.md §5.10), one decision per 20 ms tick: while a digit plays, its RFC 4733 packets
 * (or, without telephone-event, its in-band tone) replace the call's audio. Per digit: 100 ms of tone
 * (marker on the first packet, duration +160 per packet, volume 10), then a 100 ms gap whose first
 * three ticks carry the final packet (end bit) three times; {@code w} is a 500 ms pause. Queued audio
 * waits meanwhile. Thread-safe: digits are queued from any thread, ticks come from the pacer.
 */
public final class DtmfSender {
    public static final int VOLUME = 10;
    private static final int TONE_TICKS = 5;
    private static final int GAP_TICKS = 5;
    private static final int END_REPEATS = 3;
    private static final int PAUSE_TICKS = 25;
    private static final int SAMPLES_PER_TICK = 160;

    /** What this tick sends instead of (or as) the call's audio. */
    public enum Action { NONE, EVENT, TONE, SILENCE }

    private final ArrayDeque<Character> pending = new ArrayDeque<>();
    private char digit;
    private int tick;
    private int ticksInStep;
    private boolean pause;
    private long eventTimestamp;
    // Outputs of the last nextTick, read by the pacer right after.
    private int event;
    private boolean end;
    private boolean first;
    private int duration;
    private int toneSample;
    private char toneDigit;

    /** Queues digits (0-9 * # A-D, w = pause); others are ignored. */
    public synchronized void enqueue(String digits) {
        for (char c : digits.toCharArray()) {
            if (c == 'w' || c == 'W' || TelephoneEvent.eventOf(c) >= 0) {
                pending.add(c);
            }
        }
    }

    public synchronized boolean isIdle() {
        return digit == 0 && pending.isEmpty();
    }

    /**
     * Advances one tick.
     * @param rtpTimestamp the RTP timestamp of this tick's packet
     * @param telephoneEvent whether RFC 4733 was negotiated (else in-band tones)
     */
    public synchronized Action nextTick(long rtpTimestamp, boolean telephoneEvent) {
        if (digit == 0) {
            Character c = pending.poll();
            if (c == null) {
                return Action.NONE;
            }
            digit = c;
            pause = c == 'w' || c == 'W';
            tick = 0;
            ticksInStep = pause ? PAUSE_TICKS : TONE_TICKS + GAP_TICKS;
            eventTimestamp = rtpTimestamp;
        }
        int t = tick++;
        Action action;
        if (pause) {
            action = Action.SILENCE;
        } else {
            event = TelephoneEvent.eventOf(digit);
            toneDigit = digit;
            first = t == 0;
            if (t < TONE_TICKS) {
                end = false;
                duration = (t + 1) * SAMPLES_PER_TICK;
                toneSample = t * SAMPLES_PER_TICK;
                action = telephoneEvent ? Action.EVENT : Action.TONE;
            } else if (t < TONE_TICKS + END_REPEATS && telephoneEvent) {
                end = true;
                duration = TONE_TICKS * SAMPLES_PER_TICK;
                action = Action.EVENT;
            } else {
                action = Action.SILENCE;
            }
        }
        if (tick >= ticksInStep) {
            digit = 0;
        }
        return action;
    }

    public int event() {
        return event;
    }

    public boolean end() {
        return end;
    }

    /** True on the first packet of a digit (it carries the marker bit). */
    public boolean first() {
        return first;
    }

    /** The digit of the last EVENT or TONE tick. */
    public char toneDigit() {
        return toneDigit;
    }

    public int duration() {
        return duration;
    }

    public long eventTimestamp() {
        return eventTimestamp;
    }

    /** Index of the first sample of this tick within the tone, for in-band generation. */
    public int toneSampleIndex() {
        return toneSample;
    }
}
