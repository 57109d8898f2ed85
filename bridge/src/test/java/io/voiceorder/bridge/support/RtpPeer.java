package io.voiceorder.bridge.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The far end of a call's RTP in tests: a real UDP socket on 127.0.0.1 (or another loopback address)
 * that sends RTP to the bridge and records every datagram coming back with its arrival time.
 */
public final class RtpPeer implements AutoCloseable {
    /** One datagram received by the peer. */
    public record Received(byte[] data, long arrivalNanos, InetSocketAddress source) {
        public int payloadType() {
            return data[1] & 0x7F;
        }

        public boolean marker() {
            return (data[1] & 0x80) != 0;
        }

        public int sequence() {
            return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }

        public long timestamp() {
            return ByteBuffer.wrap(data, 4, 4).getInt() & 0xFFFFFFFFL;
        }

        public long ssrc() {
            return ByteBuffer.wrap(data, 8, 4).getInt() & 0xFFFFFFFFL;
        }

        public byte[] payload() {
            return java.util.Arrays.copyOfRange(data, 12, data.length);
        }
    }

    private final DatagramChannel channel;
    private final DatagramChannel rtcp;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> rtcpReceived = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    private RtpPeer(String address) throws IOException {
        // An even/odd pair so RTCP can follow at port + 1.
        DatagramChannel rtpChannel = null;
        DatagramChannel rtcpChannel = null;
        for (int attempt = 0; attempt < 50 && rtcpChannel == null; attempt++) {
            rtpChannel = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
            int port = ((InetSocketAddress) rtpChannel.getLocalAddress()).getPort();
            if (port % 2 == 0) {
                try {
                    rtcpChannel = DatagramChannel.open().bind(new InetSocketAddress(address, port + 1));
                    break;
                } catch (IOException e) {
                    rtcpChannel = null;
                }
            }
            rtpChannel.close();
        }
        if (rtcpChannel == null) {
            throw new IOException("no even/odd port pair on " + address);
        }
        this.channel = rtpChannel;
        this.rtcp = rtcpChannel;
        channel.socket().setSoTimeout(100);
        rtcp.socket().setSoTimeout(100);
        reader = new Thread(this::read, "rtp-peer");
        reader.setDaemon(true);
        reader.start();
    }

    public static RtpPeer open() throws IOException {
        return new RtpPeer("127.0.0.1");
    }

    public static RtpPeer open(String address) throws IOException {
        return new RtpPeer(address);
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    public String address() {
        return channel.socket().getLocalAddress().getHostAddress();
    }

    /** An SDP offer from this peer. */
    public String offer(String codecs) {
        return "v=0\r\no=peer 1 1 IN IP4 " + address() + "\r\ns=-\r\nc=IN IP4 " + address() + "\r\nt=0 0\r\n"
                + "m=audio " + port() + " RTP/AVP " + codecs + "\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";
    }

    public void send(byte[] datagram, int toPort) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), new InetSocketAddress("127.0.0.1", toPort));
    }

    public void sendRtcp(byte[] datagram, int toPort) throws IOException {
        rtcp.send(ByteBuffer.wrap(datagram), new InetSocketAddress("127.0.0.1", toPort));
    }

    /** An RTP datagram. */
    public static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq).putInt((int) ts).putInt((int) ssrc).put(payload);
        return b.array();
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> rtcpReceived() {
        return new ArrayList<>(rtcpReceived);
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        byte[] raw = new byte[2048];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(raw, raw.length);
        java.net.DatagramPacket rtcpPacket = new java.net.DatagramPacket(new byte[2048], 2048);
        while (running) {
            try {
                channel.socket().receive(packet);
                received.add(new Received(java.util.Arrays.copyOf(packet.getData(), packet.getLength()), System.nanoTime(),
                        (InetSocketAddress) packet.getSocketAddress()));
            } catch (SocketTimeoutException e) {
                // poll RTCP below
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
            try {
                rtcp.socket().setSoTimeout(1);
                rtcp.socket().receive(rtcpPacket);
                rtcpReceived.add(new Received(java.util.Arrays.copyOf(rtcpPacket.getData(), rtcpPacket.getLength()),
                        System.nanoTime(), (InetSocketAddress) rtcpPacket.getSocketAddress()));
            } catch (IOException e) {
                // nothing this round
            }
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        rtcp.close();
    }
}
