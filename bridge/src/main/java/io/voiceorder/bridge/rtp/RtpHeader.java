package io.voiceorder.bridge.rtp;

import java.nio.ByteBuffer;

/**
 * The fixed RTP header of one received packet (RFC 3550 §5.1) and where its payload lies in the
 * datagram. {@link #parse} validates the whole layout (version, CSRC list, extension, padding)
 * and returns null for anything malformed.
 */
public record RtpHeader(int payloadType, boolean marker, int sequence, long timestamp, long ssrc,
                        int payloadOffset, int payloadLength) {
    public static final int FIXED_LENGTH = 12;

    /** Parses the datagram between position and limit without moving them; null if it is not valid RTP. */
    public static RtpHeader parse(ByteBuffer datagram) {
        int start = datagram.position();
        int length = datagram.remaining();
        if (length < FIXED_LENGTH) {
            return null;
        }
        int b0 = datagram.get(start) & 0xFF;
        int b1 = datagram.get(start + 1) & 0xFF;
        if ((b0 >> 6) != 2) {
            return null;
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int payloadType = b1 & 0x7F;
        if (payloadType >= 72 && payloadType <= 76) {
            // RTCP packet types 200-204 land here with the marker bit set: not RTP (RFC 5761 §4).
            return null;
        }
        int headerLength = FIXED_LENGTH + 4 * csrcCount;
        if (length < headerLength) {
            return null;
        }
        if (extension) {
            if (length < headerLength + 4) {
                return null;
            }
            int words = datagram.getShort(start + headerLength + 2) & 0xFFFF;
            headerLength += 4 + 4 * words;
            if (length < headerLength) {
                return null;
            }
        }
        int payloadLength = length - headerLength;
        if (padding) {
            if (payloadLength < 1) {
                return null;
            }
            int pad = datagram.get(start + length - 1) & 0xFF;
            if (pad == 0 || pad > payloadLength) {
                return null;
            }
            payloadLength -= pad;
        }
        int sequence = datagram.getShort(start + 2) & 0xFFFF;
        long timestamp = datagram.getInt(start + 4) & 0xFFFFFFFFL;
        long ssrc = datagram.getInt(start + 8) & 0xFFFFFFFFL;
        return new RtpHeader(payloadType, (b1 & 0x80) != 0, sequence, timestamp, ssrc, start + headerLength, payloadLength);
    }

    /** Writes a 12-byte header (no CSRC, no extension, no padding) at the buffer's position and advances it. */
    public static void write(ByteBuffer out, int payloadType, boolean marker, int sequence, long timestamp, long ssrc) {
        out.put((byte) 0x80);
        out.put((byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F)));
        out.putShort((short) sequence);
        out.putInt((int) timestamp);
        out.putInt((int) ssrc);
    }
}
