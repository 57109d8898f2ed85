package io.voiceorder.bridge.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP NAT on loopback in front of a SIP server, for one client: the client sends to {@link #insidePort()}; each
 * datagram leaves unchanged towards the server from the current outside port (the NAT's mapping), and what the server
 * sends to that outside port goes back to the client. {@link #rebind()} replaces the mapping with a new outside port,
 * as a NAT does when a binding expires, so the server sees the client's next requests come from elsewhere. Every
 * datagram is recorded as text with its direction and the outside port it crossed.
 */
final class UdpNat implements AutoCloseable {
    /** One datagram crossing the NAT. */
    record Crossing(boolean fromClient, int outsidePort, String text) {
        String firstLine() {
            return text.lines().findFirst().orElse("");
        }
    }

    private final DatagramSocket inside;
    private final InetSocketAddress server;
    private final List<Crossing> crossings = new CopyOnWriteArrayList<>();
    private final Thread insideReader;
    private volatile DatagramSocket outside;
    private volatile Thread outsideReader;
    private volatile InetSocketAddress client;
    private volatile boolean running = true;

    UdpNat(int serverPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = new InetSocketAddress(loopback, serverPort);
        this.inside = new DatagramSocket(0, loopback);
        inside.setSoTimeout(100);
        openMapping();
        insideReader = new Thread(this::fromClient, "udp-nat-inside");
        insideReader.setDaemon(true);
        insideReader.start();
    }

    int insidePort() {
        return inside.getLocalPort();
    }

    /** The outside port of the current mapping: where the server sees the client. */
    int outsidePort() {
        return outside.getLocalPort();
    }

    /** A new mapping: later datagrams leave from a new outside port; the old one is closed. */
    synchronized void rebind() throws IOException {
        DatagramSocket old = outside;
        Thread oldReader = outsideReader;
        openMapping();
        old.close();
        try {
            oldReader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Crossing> crossings() {
        return List.copyOf(crossings);
    }

    private synchronized void openMapping() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(100);
        outside = socket;
        Thread reader = new Thread(() -> fromServer(socket), "udp-nat-outside-" + socket.getLocalPort());
        reader.setDaemon(true);
        outsideReader = reader;
        reader.start();
    }

    private void fromClient() {
        byte[] buffer = new byte[65_536];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                inside.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            client = (InetSocketAddress) packet.getSocketAddress();
            DatagramSocket mapping = outside;
            crossings.add(new Crossing(true, mapping.getLocalPort(), text(packet)));
            try {
                mapping.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), server));
            } catch (IOException e) {
                // the mapping was just replaced: the datagram is lost, as through a real NAT
            }
        }
    }

    private void fromServer(DatagramSocket mapping) {
        byte[] buffer = new byte[65_536];
        while (running && !mapping.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                mapping.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            InetSocketAddress to = client;
            crossings.add(new Crossing(false, mapping.getLocalPort(), text(packet)));
            if (to == null) {
                continue;
            }
            try {
                inside.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), to));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String text(DatagramPacket packet) {
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        inside.close();
        outside.close();
        try {
            insideReader.join(1000);
            Thread reader = outsideReader;
            if (reader != null) {
                reader.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
