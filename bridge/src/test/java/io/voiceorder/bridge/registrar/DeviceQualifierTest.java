package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.sip.SipEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The qualify loop against a loopback UDP socket standing in for the device, silent or answering. */
class DeviceQualifierTest {
    @TempDir
    Path dir;

    private SipEndpoint sip;
    private DatagramSocket device;
    private ScheduledExecutorService timers;
    private DeviceQualifier qualifier;

    @AfterEach
    void stop() {
        if (qualifier != null) {
            qualifier.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (device != null) {
            device.close();
        }
        if (sip != null) {
            sip.close();
        }
    }

    @Test
    void threeUnansweredOptionsMakeADeviceUnreachableAndAnAnswerMakesItReachableAgain() throws Exception {
        sip = SipEndpoint.start("127.0.0.1", 0, "udp", "127.0.0.1", false, List.of());
        device = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        timers = Executors.newScheduledThreadPool(1);
        BindingStore store = new BindingStore(dir, Clock.systemUTC(), Runnable::run);
        store.put(new Binding("ht841", "sip:ht841@192.168.1.50:5062", "127.0.0.1", device.getLocalPort(), "udp", null,
                java.time.Instant.now().plusSeconds(600)));
        DeviceReachability reachability = new DeviceReachability();
        qualifier = new DeviceQualifier(sip, store, reachability, timers, Duration.ofMillis(300), Duration.ofMillis(200));
        AtomicBoolean answering = new AtomicBoolean();
        AtomicInteger received = new AtomicInteger();
        Thread responder = new Thread(() -> respond(answering, received), "device-stand-in");
        responder.setDaemon(true);
        responder.start();

        qualifier.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !reachability.reachable("ht841"));
        assertThat(received.get()).as("OPTIONS reached the binding's source, not the private Contact").isGreaterThanOrEqualTo(3);

        answering.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> reachability.reachable("ht841"));
    }

    /** Reads OPTIONS; once {@code answering}, replies 200 with the request's dialog headers. */
    private void respond(AtomicBoolean answering, AtomicInteger received) {
        byte[] buffer = new byte[65536];
        while (!device.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                device.receive(packet);
                String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                if (!request.startsWith("OPTIONS ")) {
                    continue;
                }
                received.incrementAndGet();
                if (!answering.get()) {
                    continue;
                }
                StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
                for (String line : request.split("\r\n")) {
                    String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
                    if (List.of("Via", "From", "Call-ID", "CSeq").contains(name)) {
                        response.append(line).append("\r\n");
                    } else if (name.equals("To")) {
                        response.append(line).append(";tag=dev1\r\n");
                    }
                }
                response.append("Content-Length: 0\r\n\r\n");
                byte[] bytes = response.toString().getBytes(StandardCharsets.US_ASCII);
                device.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (Exception e) {
                // keep serving: a malformed packet is the test's problem, shown by its assertions
            }
        }
    }
}
