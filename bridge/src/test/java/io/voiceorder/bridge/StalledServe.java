package io.voiceorder.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A serve that accepts the WebSocket upgrade (RFC 6455 §4.2.2) and then never reads its socket again: serve hung, or
 * its host overloaded. Loopback TCP buffers hold minutes of 50 media frames a second, so once the stream has started
 * it also sends marks with long names, whose echoes (bridge.md §6.7: at once when nothing is queued) fill the
 * bridge's side of the connection within a second.
 */
final class StalledServe implements AutoCloseable {
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final int MARKS = 256;
    private static final int MARK_NAME_CHARS = 32 * 1024;

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Instant> upgrades = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StalledServe() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "stalled-serve");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/media-stream";
    }

    /** When each upgrade was answered 101. */
    List<Instant> upgrades() {
        return List.copyOf(upgrades);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                upgrade(socket);
            } catch (IOException | RuntimeException e) {
                // closed, or a client that went away during its upgrade
            }
        }
    }

    private void upgrade(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        String request = readHead(socket.getInputStream());
        String key = null;
        for (String line : request.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null) {
            socket.close();
            return;
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        upgrades.add(Instant.now());
        // from here on nothing is read: the bridge's frames pile up in the socket buffers
        Thread marks = new Thread(() -> sendMarks(socket), "stalled-serve-marks");
        marks.setDaemon(true);
        marks.start();
    }

    private static void sendMarks(Socket socket) {
        try {
            Thread.sleep(1000); // the bridge sends start with its 200, right after the upgrade
            String name = "m".repeat(MARK_NAME_CHARS);
            var out = socket.getOutputStream();
            for (int i = 0; i < MARKS && !socket.isClosed(); i++) {
                out.write(textFrame("{\"event\":\"mark\",\"mark\":{\"name\":\"" + i + name + "\"}}"));
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the bridge dropped the connection: what the test waits for
        }
    }

    /** An unmasked text frame, as a server sends them (RFC 6455 §5.2). */
    private static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (head.size() < MAX_REQUEST_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
