package io.voiceorder.bridge.rtp;

import java.nio.ByteBuffer;

/** The 4-byte payload of an RFC 4733 telephone-event packet. */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {
    public static final int LENGTH = 4;
    private static final String DIGITS = "0123456789*#ABCD";

    /** Null when the payload is shorter than an event. */
    public static TelephoneEvent parse(ByteBuffer datagram, int offset, int length) {
        if (length < LENGTH) {
            return null;
        }
        int flags = datagram.get(offset + 1) & 0xFF;
        return new TelephoneEvent(datagram.get(offset) & 0xFF, (flags & 0x80) != 0, flags & 0x3F,
                datagram.getShort(offset + 2) & 0xFFFF);
    }

    public static void write(ByteBuffer out, int event, boolean end, int volume, int duration) {
        out.put((byte) event);
        out.put((byte) ((end ? 0x80 : 0) | (volume & 0x3F)));
        out.putShort((short) duration);
    }

    /** The keypad character of events 0–15, or 0 for other events. */
    public static char digitOf(int event) {
        return event >= 0 && event < DIGITS.length() ? DIGITS.charAt(event) : 0;
    }

    /** The event code of a keypad character, or -1. */
    public static int eventOf(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }
}
