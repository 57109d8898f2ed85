package io.voiceorder.bridge.rtp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class RtcpTest {

    @Test
    void senderReportWithBlockSdesAndByeParsesBack() {
        ByteBuffer b = ByteBuffer.allocate(256);
        long ntp = Rtcp.ntp(1_700_000_000_123L);
        Rtcp.ReportBlock block = new Rtcp.ReportBlock(0x55, 12, -3, 70000, 40, 0x12345678L, 6553);
        Rtcp.writeCompound(b, 0x99, true, ntp, 1234, 10, 1600, block, Rtcp.cname("abc@voiceorder"), true);
        b.flip();
        assertThat(b.remaining() % 4).isZero();
        Rtcp.Received r = Rtcp.parse(b, 0x55);
        assertThat(r.senderSsrc()).isEqualTo(0x99);
        assertThat(r.senderReport()).isTrue();
        assertThat(r.ntpMiddle()).isEqualTo(Rtcp.middle(ntp));
        assertThat(r.aboutUs()).isEqualTo(block);
        assertThat(r.bye()).isTrue();
    }

    @Test
    void receiverReportWithoutBlock() {
        ByteBuffer b = ByteBuffer.allocate(256);
        Rtcp.writeCompound(b, 7, false, 0, 0, 0, 0, null, Rtcp.cname("x"), false);
        b.flip();
        assertThat(b.get(1) & 0xFF).isEqualTo(Rtcp.RR);
        Rtcp.Received r = Rtcp.parse(b, 1);
        assertThat(r.aboutUs()).isNull();
        assertThat(r.senderReport()).isFalse();
    }

    @Test
    void malformedCompoundsAreRejected() {
        assertThat(Rtcp.parse(ByteBuffer.wrap(new byte[4]), 1)).isNull();
        byte[] sdesFirst = {(byte) 0x81, (byte) 202, 0, 1, 0, 0, 0, 1};
        assertThat(Rtcp.parse(ByteBuffer.wrap(sdesFirst), 1)).isNull();
        byte[] lengthBeyond = {(byte) 0x80, (byte) 201, 0, 9, 0, 0, 0, 1};
        assertThat(Rtcp.parse(ByteBuffer.wrap(lengthBeyond), 1)).isNull();
        byte[] blocksBeyond = {(byte) 0x81, (byte) 201, 0, 1, 0, 0, 0, 1};
        assertThat(Rtcp.parse(ByteBuffer.wrap(blocksBeyond), 1)).isNull();
        byte[] version1 = {(byte) 0x40, (byte) 201, 0, 1, 0, 0, 0, 1};
        assertThat(Rtcp.parse(ByteBuffer.wrap(version1), 1)).isNull();
    }

    @Test
    void ntpMiddleBitsUseSixtyFourThousandthsOfASecond() {
        long a = Rtcp.middle(Rtcp.ntp(10_000));
        long b = Rtcp.middle(Rtcp.ntp(10_500));
        assertThat(b - a).isBetween(32767L, 32769L);
    }
}
