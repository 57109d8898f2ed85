package io.voiceorder.bridge.rtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Basic RTCP (RFC 3550 §6): compound SR or RR with one report block, SDES CNAME, optional BYE; and
 * the parse of received compounds for what a call needs (the sender's SR time, report blocks about
 * our SSRC).
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp() {
    }

    /** A report block (RFC 3550 §6.4.1) about one source. */
    public record ReportBlock(long ssrc, int fractionLost, long cumulativeLost, long highestSequence, long jitter,
                              long lastSr, long delaySinceLastSr) {
    }

    /** What a received compound told us. */
    public record Received(long senderSsrc, boolean senderReport, long ntpMiddle, ReportBlock aboutUs, boolean bye) {
    }

    /** NTP timestamp (64 bits) of a wall-clock time in milliseconds since 1970. */
    public static long ntp(long unixMillis) {
        long seconds = unixMillis / 1000 + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((unixMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp, the unit of LSR and RTT arithmetic (1/65536 s). */
    public static long middle(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * Writes SR (when {@code sender}) or RR, then SDES CNAME, then BYE if asked.
     * @param block report block about the remote source, or null when nothing was received
     */
    public static void writeCompound(ByteBuffer out, long ssrc, boolean sender, long ntp, long rtpTimestamp,
                                     long packetCount, long octetCount, ReportBlock block, byte[] cname, boolean bye) {
        int blocks = block == null ? 0 : 1;
        int words = (sender ? 6 : 1) + 6 * blocks;
        out.put((byte) (0x80 | blocks));
        out.put((byte) (sender ? SR : RR));
        out.putShort((short) words);
        out.putInt((int) ssrc);
        if (sender) {
            out.putLong(ntp);
            out.putInt((int) rtpTimestamp);
            out.putInt((int) packetCount);
            out.putInt((int) octetCount);
        }
        if (block != null) {
            out.putInt((int) block.ssrc());
            long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, block.cumulativeLost()));
            out.putInt((block.fractionLost() << 24) | (int) (lost & 0xFFFFFF));
            out.putInt((int) block.highestSequence());
            out.putInt((int) block.jitter());
            out.putInt((int) block.lastSr());
            out.putInt((int) block.delaySinceLastSr());
        }
        // SDES: one chunk, CNAME item, null-terminated and padded to a 32-bit boundary.
        int itemBytes = 2 + cname.length;
        int chunkBytes = 4 + itemBytes + 1;
        int padded = (chunkBytes + 3) & ~3;
        out.put((byte) 0x81);
        out.put((byte) SDES);
        out.putShort((short) (padded / 4));
        out.putInt((int) ssrc);
        out.put((byte) 1);
        out.put((byte) cname.length);
        out.put(cname);
        for (int i = 4 + itemBytes; i < padded; i++) {
            out.put((byte) 0);
        }
        if (bye) {
            out.put((byte) 0x81);
            out.put((byte) BYE);
            out.putShort((short) 1);
            out.putInt((int) ssrc);
        }
    }

    public static byte[] cname(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        return bytes;
    }

    /**
     * Parses a compound; null when it is not valid RTCP (RFC 3550 §A.2: version 2, first packet SR or
     * RR, lengths adding up to the datagram).
     */
    public static Received parse(ByteBuffer datagram, long ourSsrc) {
        int pos = datagram.position();
        int limit = datagram.limit();
        if (limit - pos < 8) {
            return null;
        }
        int firstType = datagram.get(pos + 1) & 0xFF;
        if (firstType != SR && firstType != RR) {
            return null;
        }
        long senderSsrc = -1;
        boolean senderReport = false;
        long ntpMiddle = 0;
        ReportBlock aboutUs = null;
        boolean bye = false;
        while (pos < limit) {
            if (limit - pos < 4) {
                return null;
            }
            int b0 = datagram.get(pos) & 0xFF;
            if ((b0 >> 6) != 2) {
                return null;
            }
            int count = b0 & 0x1F;
            int type = datagram.get(pos + 1) & 0xFF;
            int length = ((datagram.getShort(pos + 2) & 0xFFFF) + 1) * 4;
            if (pos + length > limit) {
                return null;
            }
            if (type == SR || type == RR) {
                int headerBytes = type == SR ? 28 : 8;
                if (length < headerBytes + 24 * count) {
                    return null;
                }
                if (senderSsrc < 0) {
                    senderSsrc = datagram.getInt(pos + 4) & 0xFFFFFFFFL;
                }
                if (type == SR) {
                    senderReport = true;
                    ntpMiddle = middle(datagram.getLong(pos + 8));
                }
                for (int i = 0; i < count; i++) {
                    int b = pos + headerBytes + 24 * i;
                    long about = datagram.getInt(b) & 0xFFFFFFFFL;
                    if (about == ourSsrc) {
                        int lostWord = datagram.getInt(b + 4);
                        int cumulative = (lostWord << 8) >> 8;
                        aboutUs = new ReportBlock(about, (lostWord >>> 24) & 0xFF, cumulative,
                                datagram.getInt(b + 8) & 0xFFFFFFFFL, datagram.getInt(b + 12) & 0xFFFFFFFFL,
                                datagram.getInt(b + 16) & 0xFFFFFFFFL, datagram.getInt(b + 20) & 0xFFFFFFFFL);
                    }
                }
            } else if (type == BYE) {
                bye = true;
            }
            pos += length;
        }
        return new Received(senderSsrc, senderReport, ntpMiddle, aboutUs, bye);
    }
}
