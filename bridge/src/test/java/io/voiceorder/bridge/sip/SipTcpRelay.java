package io.voiceorder.bridge.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback between a SIP client and a registrar: forwards bytes both ways unchanged, reads the
 * client's stream as SIP framing (RFC 3261 §18.3) to count its requests and its CRLFCRLF keepalive pings (RFC 5626
 * §4.4.1) between messages, and can drop every connection at once, as a NAT or a registrar restart would.
 */
final class SipTcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    SipTcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "sip-tcp-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int pings() {
        return pings.get();
    }

    int connections() {
        return connections.get();
    }

    /** Request lines the client sent, in order. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                connections.incrementAndGet();
                pump(upstream.getInputStream(), client.getOutputStream(), null, client, upstream);
                pump(client.getInputStream(), upstream.getOutputStream(), new Framing(), client, upstream);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, Framing framing, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (framing != null) {
                        framing.feed(buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "sip-tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Client-side SIP framing: CRLF runs between messages are pings; a message ends after its Content-Length. */
    private final class Framing {
        private final StringBuilder head = new StringBuilder();
        private int crlfRun;
        private long bodyLeft;

        void feed(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                char c = (char) (bytes[i] & 0xFF);
                if (bodyLeft > 0) {
                    bodyLeft--;
                } else if (head.isEmpty() && (c == '\r' || c == '\n')) {
                    if (++crlfRun == 4) {
                        pings.incrementAndGet();
                        crlfRun = 0;
                    }
                } else {
                    crlfRun = 0;
                    head.append(c);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        endOfHead();
                    }
                }
            }
        }

        private void endOfHead() {
            String text = head.toString();
            head.setLength(0);
            requestLines.add(text.substring(0, text.indexOf("\r\n")));
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
                if (name.equals("content-length") || name.equals("l")) {
                    bodyLeft = Long.parseLong(line.substring(colon + 1).trim());
                }
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        dropConnections();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
