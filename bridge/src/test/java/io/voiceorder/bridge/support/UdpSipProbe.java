package io.voiceorder.bridge.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare UDP socket on a chosen loopback address that sends raw datagrams (SIP or garbage) to the bridge's SIP
 * port and records every datagram that comes back. Its reader thread ends when it is closed.
 */
public final class UdpSipProbe implements AutoCloseable {
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)\\s*:\\s*(\\S+)\\s*$");

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread reader;

    public UdpSipProbe(String localIp, int targetPort) throws IOException {
        this(localIp, 0, targetPort);
    }

    /** @param localPort 0 = any; 5060 where the bridge answers a Via without a port */
    public UdpSipProbe(String localIp, int localPort, int targetPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(localIp), localPort));
        this.target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), targetPort);
        this.reader = new Thread(this::read, "udp-sip-probe-" + localIp);
        reader.setDaemon(true);
        reader.start();
    }

    public String localIp() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, target));
    }

    public void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    /** Every datagram received so far, as text. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** The status codes of the responses received for {@code callId}. */
    public List<Integer> statusesFor(String callId) {
        return received.stream().filter(r -> callId.equals(callIdOf(r))).filter(r -> r.startsWith("SIP/2.0 "))
                .map(UdpSipProbe::status).toList();
    }

    public static String callIdOf(String message) {
        Matcher m = CALL_ID.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    public static int status(String response) {
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** An OPTIONS or INVITE (with a PCMU offer) from this probe, with the given Call-ID and User-Agent. */
    public String request(String method, String callId, String userAgent) {
        String local = localIp() + ":" + localPort();
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + localIp() + "\r\ns=-\r\nc=IN IP4 " + localIp() + "\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        boolean invite = method.equals("INVITE");
        return method + " sip:0033972360682@127.0.0.1:" + target.getPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:100@" + local + ">;tag=" + callId.hashCode() + "\r\n"
                + "To: <sip:0033972360682@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:100@" + local + ">\r\n"
                + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                + (invite ? "Content-Type: application/sdp\r\n" : "")
                + "Content-Length: " + (invite ? sdp.length() : 0) + "\r\n\r\n"
                + (invite ? sdp : "");
    }

    private void read() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.setSoTimeout(200);
                socket.receive(packet);
                received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // check for close
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
