package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class RtpHeaderTest {

    @Test
    void writtenHeaderParsesBack() {
        ByteBuffer b = ByteBuffer.allocate(12 + 160);
        RtpHeader.write(b, 8, true, 65535, 0xFFFFFFF0L, 0xDEADBEEFL);
        b.put(new byte[160]);
        b.flip();
        RtpHeader h = RtpHeader.parse(b);
        assertThat(h).isEqualTo(new RtpHeader(8, true, 65535, 0xFFFFFFF0L, 0xDEADBEEFL, 12, 160));
    }

    @Test
    void csrcExtensionAndPaddingAreSkipped() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) (0x80 | 0x20 | 0x10 | 2)).put((byte) 0).putShort((short) 1).putInt(2).putInt(3);
        b.putInt(11).putInt(12);                        // two CSRCs
        b.putShort((short) 0xBEDE).putShort((short) 1).putInt(0); // one extension word
        b.put(new byte[] {1, 2, 3, 4, 5});              // payload
        b.put(new byte[] {0, 0, 3});                     // three bytes of padding
        b.flip();
        RtpHeader h = RtpHeader.parse(b);
        assertThat(h).isNotNull();
        assertThat(h.payloadOffset()).isEqualTo(12 + 8 + 8);
        assertThat(h.payloadLength()).isEqualTo(5);
    }

    @Test
    void malformedPacketsAreRejected() {
        assertThat(RtpHeader.parse(ByteBuffer.wrap(new byte[11]))).isNull();
        byte[] v1 = new byte[20];
        v1[0] = 0x40;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(v1))).isNull();
        byte[] csrcBeyondEnd = new byte[16];
        csrcBeyondEnd[0] = (byte) 0x83;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(csrcBeyondEnd))).isNull();
        byte[] extensionBeyondEnd = new byte[16];
        extensionBeyondEnd[0] = (byte) 0x90;
        extensionBeyondEnd[14] = 0;
        extensionBeyondEnd[15] = 5;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(extensionBeyondEnd))).isNull();
        byte[] paddingTooLong = new byte[14];
        paddingTooLong[0] = (byte) 0xA0;
        paddingTooLong[13] = 9;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(paddingTooLong))).isNull();
        byte[] zeroPadding = new byte[14];
        zeroPadding[0] = (byte) 0xA0;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(zeroPadding))).isNull();
        byte[] rtcp = new byte[28];
        rtcp[0] = (byte) 0x80;
        rtcp[1] = (byte) 200;
        assertThat(RtpHeader.parse(ByteBuffer.wrap(rtcp))).isNull();
    }
}
