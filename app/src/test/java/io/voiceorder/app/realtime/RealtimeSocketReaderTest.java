package io.voiceorder.app.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader hands over whole events, whether they arrive in one part or several, and keeps demand at one. */
class RealtimeSocketReaderTest {

    /** Counts demand; the reader calls nothing else on it. */
    private static final class Demand implements WebSocket {
        long requested;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {
        }
    }

    private final List<JsonNode> events = new ArrayList<>();
    private final RealtimeSocket socket = new RealtimeSocket(new ObjectMapper());

    RealtimeSocketReaderTest() {
        socket.listen(new RealtimeListener() {
            @Override
            public void onEvent(JsonNode event, long readNanos) {
                events.add(event);
            }

            @Override
            public void onLost(String reason) {
            }
        });
    }

    @Test
    void eventsInOneOrSeveralPartsArriveWholeAndInOrder() {
        RealtimeSocket.Reader reader = socket.new Reader();
        Demand ws = new Demand();
        String delta = "A".repeat(5000);

        reader.onText(ws, "{\"type\":\"session.created\"}", true);
        reader.onText(ws, "{\"type\":\"response.output_audio.delta\",\"delta\":\"" + delta.substring(0, 1200), false);
        reader.onText(ws, delta.substring(1200, 4100), false);
        assertThat(events).as("nothing before the last part").hasSize(1);
        reader.onText(ws, delta.substring(4100) + "\"}", true);
        reader.onText(ws, "{\"type\":\"response.done\"}", true);

        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("session.created", "response.output_audio.delta", "response.done");
        assertThat(events.get(1).path("delta").asText()).isEqualTo(delta);
        assertThat(ws.requested).as("one more message asked for after each part").isEqualTo(5);
    }

    @Test
    void anUnparsableEventIsDroppedAndTheNextOneStillArrives() {
        RealtimeSocket.Reader reader = socket.new Reader();
        Demand ws = new Demand();

        reader.onText(ws, "{\"type\":", false);
        reader.onText(ws, "oops", true);
        reader.onText(ws, "{\"type\":\"response.done\"}", true);

        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("response.done");
    }
}
