package io.voiceorder.bridge.stream;

import io.voiceorder.fixtures.ws.LoopbackWebSocketServer;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's messages are produced on several threads at once (the pacer's media, the SIP side's marks and DTMF)
 * while the I/O thread writes earlier ones: whatever the interleaving, serve gets each message once, in the order
 * of its sequence number. Over a real socket, to a real WebSocket server.
 */
class StreamOrderingTest {
    private static final int PER_THREAD = 20_000;
    private static final Pattern SEQUENCE = Pattern.compile("\"sequenceNumber\":\"(\\d+)\"");

    @Test
    void messagesQueuedFromManyThreadsLeaveOnceEachInSequenceOrder() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> ended = new CopyOnWriteArrayList<>();
        LoopbackWebSocketServer.Handler collector = new LoopbackWebSocketServer.Handler() {
            @Override
            public void onOpen(WebSocket connection) {
            }

            @Override
            public void onText(WebSocket connection, String text) {
                received.add(text);
            }

            @Override
            public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            }
        };
        StreamHandler handler = new StreamHandler() {
            @Override
            public void onMessage(ServeMessage message) {
            }

            @Override
            public void onEnded(boolean clean, String reason) {
                ended.add(reason);
            }
        };
        try (LoopbackWebSocketServer server = LoopbackWebSocketServer.start(request -> LoopbackWebSocketServer.Decision.accept(collector));
             StreamClient client = new StreamClient("AC1", null, URI.create("ws://127.0.0.1:" + server.port() + "/media-stream"),
                     null, new StreamMetrics())) {
            StreamConnection connection = client.connect("CA1", client.defaultTarget(), handler).get(5, TimeUnit.SECONDS);
            connection.sendStart(Map.of());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> producers = new ArrayList<>();
            producers.add(new Thread(() -> {
                awaitStart(go);
                for (int i = 0; i < PER_THREAD; i++) {
                    connection.sendMedia(new byte[160], 0, 160);
                }
            }));
            producers.add(new Thread(() -> {
                awaitStart(go);
                for (int i = 0; i < PER_THREAD; i++) {
                    connection.sendMark("m" + i);
                }
            }));
            producers.forEach(Thread::start);
            go.countDown();
            for (Thread t : producers) {
                t.join(30_000);
            }
            int expected = 2 + 2 * PER_THREAD; // connected, start, then the producers' messages
            await().atMost(30, TimeUnit.SECONDS).until(() -> received.size() >= expected || !ended.isEmpty());

            assertThat(ended).as("the stream stayed up").isEmpty();
            assertThat(received).hasSize(expected);
            assertThat(received.get(0)).contains("\"event\":\"connected\"");
            for (int i = 1; i < expected; i++) {
                Matcher m = SEQUENCE.matcher(received.get(i));
                assertThat(m.find()).as("message %d has a sequence number", i).isTrue();
                assertThat(Long.parseLong(m.group(1))).as("message %d", i).isEqualTo(i);
            }
        }
    }

    private static void awaitStart(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
