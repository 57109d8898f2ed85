package io.voiceorder.bridge.stream;

import java.util.Arrays;

/**
 * Decodes base64 (RFC 4648 §4, the basic alphabet) straight from the characters of a parsed JSON string,
 * so a media payload is not first copied into a {@code String} and then into bytes. Accepts exactly what
 * {@link java.util.Base64#getDecoder()} accepts: padding optional but correct when present, nothing after
 * it, no line breaks, no dangling single character.
 */
final class Base64Chars {
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private Base64Chars() {
    }

    /** @throws IllegalArgumentException when the text is not valid base64 */
    static byte[] decode(char[] text, int offset, int length) {
        int end = offset + length;
        int padding = 0;
        if (length > 0 && text[end - 1] == '=') {
            padding++;
            if (length > 1 && text[end - 2] == '=') {
                padding++;
            }
        }
        int data = length - padding;
        if (padding > 0 && length % 4 != 0) {
            throw new IllegalArgumentException("base64 padding does not end a 4-character unit");
        }
        if (data % 4 == 1) {
            throw new IllegalArgumentException("base64 ends with a single dangling character");
        }
        byte[] out = new byte[data / 4 * 3 + (data % 4 == 0 ? 0 : data % 4 - 1)];
        int o = 0;
        int bits = 0;
        int count = 0;
        for (int i = offset; i < offset + data; i++) {
            char c = text[i];
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("not a base64 character at " + (i - offset));
            }
            bits = bits << 6 | v;
            if (++count == 4) {
                out[o++] = (byte) (bits >> 16);
                out[o++] = (byte) (bits >> 8);
                out[o++] = (byte) bits;
                bits = 0;
                count = 0;
            }
        }
        if (count == 2) {
            out[o] = (byte) (bits >> 4);
        } else if (count == 3) {
            out[o++] = (byte) (bits >> 10);
            out[o] = (byte) (bits >> 2);
        }
        return out;
    }
}
