package io.voiceorder.bridge.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Writes one call's {@code media} messages (bridge.md §7.2) as bytes into one reused buffer: the parts that
 * never change (event, stream sid, track) are written once, the counters and the base64 payload in place,
 * then the bytes are copied once into the frame's (pooled) buffer: no string on the way. The text equals
 * {@link TwilioJson#media(long, String, long, String)}.
 */
final class MediaMessageWriter {
    private static final byte[] HEAD = ascii("{\"event\":\"media\",\"sequenceNumber\":\"");
    private static final byte[] TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] TAIL = ascii("\"}}");
    private static final byte[] BASE64 = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final int MAX_DIGITS = 20;

    /** From the end of the sequence number to the start of the chunk number, stream sid included. */
    private final byte[] middle;
    private byte[] buffer;

    MediaMessageWriter(String streamSid) {
        this.middle = ascii("\",\"streamSid\":" + asciiJson(TwilioJson.quote(streamSid))
                + ",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
        this.buffer = new byte[capacity(160)];
    }

    /**
     * The media message carrying {@code length} bytes of {@code frame} from {@code offset}, as ASCII in a
     * buffer from {@code allocator} that the caller owns (and releases, usually by writing it).
     */
    ByteBuf write(long sequence, long chunk, byte[] frame, int offset, int length, ByteBufAllocator allocator) {
        int needed = capacity(length);
        if (buffer.length < needed) {
            buffer = new byte[needed];
        }
        byte[] b = buffer;
        int p = put(b, 0, HEAD);
        p = digits(b, p, sequence);
        p = put(b, p, middle);
        p = digits(b, p, chunk);
        p = put(b, p, TIMESTAMP);
        p = digits(b, p, chunk * 20);
        p = put(b, p, PAYLOAD);
        p = base64(b, p, frame, offset, length);
        p = put(b, p, TAIL);
        return allocator.directBuffer(p, p).writeBytes(b, 0, p);
    }

    private int capacity(int payloadLength) {
        return HEAD.length + middle.length + TIMESTAMP.length + PAYLOAD.length + TAIL.length + 3 * MAX_DIGITS
                + 4 * ((payloadLength + 2) / 3);
    }

    private static int put(byte[] b, int p, byte[] part) {
        System.arraycopy(part, 0, b, p, part.length);
        return p + part.length;
    }

    /** A non-negative counter in decimal. */
    private static int digits(byte[] b, int p, long value) {
        if (value < 0) {
            byte[] text = ascii(Long.toString(value));
            return put(b, p, text);
        }
        int length = 1;
        for (long v = value; v >= 10; v /= 10) {
            length++;
        }
        long v = value;
        for (int i = p + length - 1; i >= p; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return p + length;
    }

    /** RFC 4648 §4 base64 with padding, as {@link java.util.Base64#getEncoder()} writes it. */
    private static int base64(byte[] b, int p, byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 3 <= end; i += 3) {
            int bits = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
            b[p++] = BASE64[bits >>> 18];
            b[p++] = BASE64[bits >>> 12 & 0x3F];
            b[p++] = BASE64[bits >>> 6 & 0x3F];
            b[p++] = BASE64[bits & 0x3F];
        }
        int left = end - i;
        if (left == 1) {
            int bits = (data[i] & 0xFF) << 16;
            b[p++] = BASE64[bits >>> 18];
            b[p++] = BASE64[bits >>> 12 & 0x3F];
            b[p++] = '=';
            b[p++] = '=';
        } else if (left == 2) {
            int bits = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8;
            b[p++] = BASE64[bits >>> 18];
            b[p++] = BASE64[bits >>> 12 & 0x3F];
            b[p++] = BASE64[bits >>> 6 & 0x3F];
            b[p++] = '=';
        }
        return p;
    }

    /** JSON text with every non-ASCII character escaped, so it can be written as single bytes. */
    private static String asciiJson(String json) {
        StringBuilder b = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
