package io.voiceorder.bridge.rtp;

import java.nio.channels.DatagramChannel;

/** An RTP socket on an even port and its RTCP socket on the next one, both non-blocking. */
public record PortPair(int rtpPort, DatagramChannel rtp, DatagramChannel rtcp) {
    public int rtcpPort() {
        return rtpPort + 1;
    }
}
