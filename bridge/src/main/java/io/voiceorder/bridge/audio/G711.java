package io.voiceorder.bridge.audio;

/**
 * G.711 at 8 kHz by lookup tables, built once from the segment definitions of ITU-T G.711:
 * µ-law and A-law decode to 16-bit linear, encode from it, and A↔µ conversion.
 * A↔µ goes through the decoded level of each code, re-encoded in the other law.
 */
public final class G711 {
    /** µ-law of a zero sample. */
    public static final byte ULAW_SILENCE = (byte) 0xFF;
    /** A-law of a zero sample. */
    public static final byte ALAW_SILENCE = (byte) 0xD5;

    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];
    /** Indexed by the 16-bit sample plus 32768. */
    private static final byte[] LINEAR_TO_ULAW = new byte[1 << 16];
    private static final byte[] LINEAR_TO_ALAW = new byte[1 << 16];

    static {
        for (int code = 0; code < 256; code++) {
            ULAW_TO_LINEAR[code] = ulawDecodeByFormula(code);
            ALAW_TO_LINEAR[code] = alawDecodeByFormula(code);
        }
        for (int i = 0; i < (1 << 16); i++) {
            int sample = i - 32768;
            LINEAR_TO_ULAW[i] = ulawEncodeByFormula(sample);
            LINEAR_TO_ALAW[i] = alawEncodeByFormula(sample);
        }
        for (int code = 0; code < 256; code++) {
            ULAW_TO_ALAW[code] = alawEncodeByFormula(ULAW_TO_LINEAR[code]);
            ALAW_TO_ULAW[code] = ulawEncodeByFormula(ALAW_TO_LINEAR[code]);
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte ulaw) {
        return ULAW_TO_LINEAR[ulaw & 0xFF];
    }

    public static short alawToLinear(byte alaw) {
        return ALAW_TO_LINEAR[alaw & 0xFF];
    }

    public static byte linearToUlaw(int sample) {
        return LINEAR_TO_ULAW[clamp16(sample) + 32768];
    }

    public static byte linearToAlaw(int sample) {
        return LINEAR_TO_ALAW[clamp16(sample) + 32768];
    }

    public static byte ulawToAlaw(byte ulaw) {
        return ULAW_TO_ALAW[ulaw & 0xFF];
    }

    public static byte alawToUlaw(byte alaw) {
        return ALAW_TO_ULAW[alaw & 0xFF];
    }

    /** The A-law → µ-law table (a copy), for byte-wise conversion on the way into a buffer. */
    public static byte[] alawToUlawTable() {
        return ALAW_TO_ULAW.clone();
    }

    /** Converts in place, µ-law to A-law. */
    public static void ulawToAlaw(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            data[i] = ULAW_TO_ALAW[data[i] & 0xFF];
        }
    }

    /** Converts in place, A-law to µ-law. */
    public static void alawToUlaw(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            data[i] = ALAW_TO_ULAW[data[i] & 0xFF];
        }
    }

    static int clamp16(int sample) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample));
    }

    private static short ulawDecodeByFormula(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int magnitude = ((((u & 0x0F) << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static byte ulawEncodeByFormula(int sample) {
        int sign = 0;
        int magnitude = sample;
        if (magnitude < 0) {
            sign = 0x80;
            magnitude = -magnitude;
        }
        magnitude = Math.min(magnitude, ULAW_CLIP) + ULAW_BIAS;
        // The exponent is the position of the highest set bit above bit 7.
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    private static short alawDecodeByFormula(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int segment = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        // Decision value at the middle of the quantisation interval, in 13-bit units.
        int magnitude13 = segment == 0 ? (mantissa << 1) + 1 : ((mantissa << 1) + 33) << (segment - 1);
        int magnitude = magnitude13 << 3;
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte alawEncodeByFormula(int sample) {
        int sign = sample >= 0 ? 0x80 : 0x00;
        int magnitude13 = Math.min(sample >= 0 ? sample : -sample, Short.MAX_VALUE) >> 3;
        int code;
        if (magnitude13 < 32) {
            code = magnitude13 >> 1;
        } else {
            int segment = 31 - Integer.numberOfLeadingZeros(magnitude13) - 4;
            code = (segment << 4) | ((magnitude13 >> segment) & 0x0F);
        }
        return (byte) ((sign | code) ^ 0x55);
    }
}
