package io.voiceorder.bridge.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real coturn (Debian package) on 127.0.0.1 for one test: a free UDP port, a temporary
 * configuration with long-term credentials, loopback peers allowed, a small relay range, and its own
 * pid, log and user database files. {@link #close()} stops it and removes the directory.
 */
public final class Coturn implements AutoCloseable {
    public static final String REALM = "voiceorder.test";
    public static final String USER = "site1";

    public final String password;
    public final int port;
    public final int relayMin;
    public final int relayMax;
    private final Path dir;
    private final Process process;

    private Coturn(String password, int port, int relayMin, Path dir, Process process) {
        this.password = password;
        this.port = port;
        this.relayMin = relayMin;
        this.relayMax = relayMin + 39;
        this.dir = dir;
        this.process = process;
    }

    public static Coturn start() throws Exception {
        String password = Long.toHexString(new SecureRandom().nextLong());
        int port = freeUdpPort();
        int relayMin = 40000 + 40 * ThreadLocalRandom.current().nextInt(500);
        Path dir = Files.createTempDirectory("coturn");
        Files.writeString(dir.resolve("turnserver.conf"), String.join("\n",
                "listening-ip=127.0.0.1",
                "listening-port=" + port,
                "relay-ip=127.0.0.1",
                "min-port=" + relayMin,
                "max-port=" + (relayMin + 39),
                "realm=" + REALM,
                "lt-cred-mech",
                "user=" + USER + ":" + password,
                "fingerprint",
                "allow-loopback-peers",
                "no-tls",
                "no-dtls",
                "no-tcp",
                "no-cli",
                "no-multicast-peers",
                "userdb=" + dir.resolve("turndb"),
                "pidfile=" + dir.resolve("turnserver.pid"),
                "log-file=" + dir.resolve("turnserver.log"),
                "simple-log",
                "verbose",
                ""));
        Process p = new ProcessBuilder("turnserver", "-c", dir.resolve("turnserver.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Coturn coturn = new Coturn(password, port, relayMin, dir, p);
        try {
            coturn.awaitReady();
        } catch (Exception e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Polls with a bare STUN Binding request (RFC 5389 header only) until coturn answers, 10 s at most. */
    private void awaitReady() throws Exception {
        byte[] request = new byte[20];
        request[1] = 0x01;
        request[4] = 0x21;
        request[5] = 0x12;
        request[6] = (byte) 0xA4;
        request[7] = 0x42;
        byte[] transaction = new byte[12];
        new SecureRandom().nextBytes(transaction);
        System.arraycopy(transaction, 0, request, 8, 12);
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            probe.setSoTimeout(200);
            for (int attempt = 0; attempt < 50; attempt++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("turnserver exited: " + log());
                }
                probe.send(new DatagramPacket(request, request.length, address()));
                try {
                    probe.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        throw new IllegalStateException("turnserver did not answer STUN on port " + port + ": " + log());
    }

    public String log() {
        try {
            Path log = dir.resolve("turnserver.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
